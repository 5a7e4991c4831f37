package io.raftkit.core.message;

/**
 * The leader's periodic proof of life. Followers answer it (unlike the notes RaftKit started from),
 * because the answers let the leader notice it lost its majority (check-quorum), confirm leadership for
 * reads (ReadIndex) and learn of higher terms. Outside any round ({@link #NO_READ_ROUND}) it is only a
 * commit notice, sent when the commit index advances past what a follower last heard, and is not
 * answered.
 *
 * @param commitIndex the leader's commit index, capped at what this follower is known to hold
 * @param readRound the leader's latest read-confirmation round, echoed in the response; or
 *     {@link #NO_READ_ROUND}
 */
public record Heartbeat(String from, String to, long term, long commitIndex, long readRound) implements Message {

    /** The round of a commit notice: rounds are numbered from 1. */
    public static final long NO_READ_ROUND = 0;

    public Heartbeat {
        Messages.check(from, to, term);
        Messages.nonNegative("commitIndex", commitIndex);
        Messages.nonNegative("readRound", readRound);
    }

    /** Whether this is only a commit notice, which the follower does not answer. */
    public boolean commitNotice() {
        return readRound == NO_READ_ROUND;
    }
}
