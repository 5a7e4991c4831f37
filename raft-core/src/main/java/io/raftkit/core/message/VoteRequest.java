package io.raftkit.core.message;

/**
 * A candidate asks for a vote. With {@code preVote} it only asks whether it <em>would</em> win, without
 * anyone changing term, so that a node returning from a partition cannot depose a healthy leader.
 * With {@code transfer} the candidate campaigns because the leader handed leadership to it
 * ({@link TimeoutNow}): voters then grant even though they heard from that leader moments ago.
 *
 * @param lastLogIndex index of the candidate's last log entry
 * @param lastLogTerm term of the candidate's last log entry
 */
public record VoteRequest(String from, String to, long term, long lastLogIndex, long lastLogTerm, boolean preVote,
                          boolean transfer) implements Message {

    public VoteRequest {
        Messages.check(from, to, term);
        Messages.nonNegative("lastLogIndex", lastLogIndex);
        Messages.nonNegative("lastLogTerm", lastLogTerm);
        if (preVote && transfer) {
            throw new IllegalArgumentException("a vote request for a leadership transfer is never a pre-vote");
        }
    }

    /** A vote request of an ordinary election. */
    public VoteRequest(String from, String to, long term, long lastLogIndex, long lastLogTerm, boolean preVote) {
        this(from, to, term, lastLogIndex, lastLogTerm, preVote, false);
    }
}
