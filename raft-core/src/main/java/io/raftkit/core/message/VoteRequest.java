package io.raftkit.core.message;

/**
 * A candidate asks for a vote. With {@code preVote} it only asks whether it <em>would</em> win, without
 * anyone changing term, so that a node returning from a partition cannot depose a healthy leader.
 *
 * @param lastLogIndex index of the candidate's last log entry
 * @param lastLogTerm term of the candidate's last log entry
 */
public record VoteRequest(String from, String to, long term, long lastLogIndex, long lastLogTerm, boolean preVote)
        implements Message {

    public VoteRequest {
        Messages.check(from, to, term);
        Messages.nonNegative("lastLogIndex", lastLogIndex);
        Messages.nonNegative("lastLogTerm", lastLogTerm);
    }
}
