package io.raftkit.core.message;

/**
 * The leader's periodic proof of life. Followers answer it (unlike the notes RaftKit started from),
 * because the answers let the leader notice it lost its majority (check-quorum), confirm leadership for
 * reads (ReadIndex) and learn of higher terms.
 *
 * @param commitIndex the leader's commit index, capped at what this follower is known to hold
 * @param readRound the leader's latest read-confirmation round; echoed in the response
 */
public record Heartbeat(String from, String to, long term, long commitIndex, long readRound) implements Message {

    public Heartbeat {
        Messages.check(from, to, term);
        Messages.nonNegative("commitIndex", commitIndex);
        Messages.nonNegative("readRound", readRound);
    }
}
