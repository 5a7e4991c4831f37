package io.raftkit.core;

/**
 * Tunables of the core, in ticks and bytes. Build with {@link #builder()}; {@code build()} rejects
 * inconsistent values with a message that names the setting.
 *
 * @param electionTicks T: a follower that hears nothing for a random time in [T, 2T) ticks starts an
 *     election; a leader that has not heard from a majority within T ticks steps down (check-quorum)
 * @param heartbeatTicks how often a leader sends heartbeats; must be below {@code electionTicks}
 * @param leaseTicks how long after sending a heartbeat round that a majority acknowledged a leader may
 *     serve lease reads; safe while {@code leaseTicks x leader tick period <= (electionTicks - 1) x
 *     follower tick period} (see {@link Builder#leaseTicks})
 * @param maxAppendBytes most entry bytes in one append message
 * @param maxInflightMessages most unacknowledged append messages per follower
 * @param maxInflightBytes most unacknowledged entry bytes per follower
 * @param maxApplyBytes most committed entry bytes handed out for applying in one {@link Ready}
 * @param preVote whether candidates first ask whether they could win (recommended)
 * @param checkQuorum whether a leader steps down when it loses contact with a majority and followers
 *     ignore candidates while they hear from a leader; required for lease reads
 * @param maxUncommittedBytes most bytes of entries a leader holds appended and not yet committed; past
 *     it the leader refuses proposals ({@link RequestRejected.Reason#UNCOMMITTED_FULL}) until commits
 *     catch up, so followers that cannot keep up cost it bounded memory
 * @param snapshotsFromFollowers whether a leader asks a caught-up follower to send a lagging node its
 *     snapshot, rather than reading and sending its own (see {@link Builder#snapshotsFromFollowers})
 */
public record RaftConfig(int electionTicks, int heartbeatTicks, int leaseTicks, long maxAppendBytes,
                         int maxInflightMessages, long maxInflightBytes, long maxApplyBytes, boolean preVote,
                         boolean checkQuorum, long maxUncommittedBytes, boolean snapshotsFromFollowers) {

    public RaftConfig {
        require(electionTicks >= 2, "electionTicks must be >= 2, got " + electionTicks);
        require(heartbeatTicks >= 1 && heartbeatTicks < electionTicks,
                "heartbeatTicks must be in [1, electionTicks), got " + heartbeatTicks + " with electionTicks "
                        + electionTicks);
        require(leaseTicks >= 1 && leaseTicks < electionTicks,
                "leaseTicks must be in [1, electionTicks - 1], got " + leaseTicks + " with electionTicks " + electionTicks);
        require(maxAppendBytes >= 1, "maxAppendBytes must be >= 1, got " + maxAppendBytes);
        require(maxInflightMessages >= 1, "maxInflightMessages must be >= 1, got " + maxInflightMessages);
        require(maxInflightBytes >= maxAppendBytes,
                "maxInflightBytes must be >= maxAppendBytes, got " + maxInflightBytes + " < " + maxAppendBytes);
        require(maxApplyBytes >= 1, "maxApplyBytes must be >= 1, got " + maxApplyBytes);
        require(maxUncommittedBytes >= 1, "maxUncommittedBytes must be >= 1, got " + maxUncommittedBytes);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("invalid RaftConfig: " + message);
        }
    }

    /** The defaults: T = 10 ticks, heartbeat every tick, pre-vote and check-quorum on. */
    public static RaftConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link RaftConfig}; every setter has a sensible default. */
    public static final class Builder {
        private int electionTicks = 10;
        private int heartbeatTicks = 1;
        private int leaseTicks = -1;
        private long maxAppendBytes = 1 << 20;
        private int maxInflightMessages = 256;
        private long maxUncommittedBytes = 64L << 20;
        private long maxInflightBytes = 64L << 20;
        private long maxApplyBytes = 16L << 20;
        private boolean preVote = true;
        private boolean checkQuorum = true;
        private boolean snapshotsFromFollowers = true;

        private Builder() {}

        public Builder electionTicks(int v) {
            electionTicks = v;
            return this;
        }

        public Builder heartbeatTicks(int v) {
            heartbeatTicks = v;
            return this;
        }

        /**
         * Defaults to {@code max(1, floor((electionTicks - 1) / 1.2))}: 7 for the default 10. Why: a
         * follower refuses candidates until its election timer reaches T, which can happen T - 1 of its
         * tick periods after the heartbeat (its next tick may come at once); the leader's lease ends
         * at most leaseTicks of its own periods after sending that heartbeat. So leases are safe while
         * {@code leaseTicks x leader period <= (T - 1) x follower period}: the default allows a leader
         * clock 20% slower than a follower's (at T = 10; at least 20% for any T >= 3).
         */
        public Builder leaseTicks(int v) {
            leaseTicks = v;
            return this;
        }

        public Builder maxAppendBytes(long v) {
            maxAppendBytes = v;
            return this;
        }

        public Builder maxInflightMessages(int v) {
            maxInflightMessages = v;
            return this;
        }

        /**
         * Bytes of entries a leader may hold appended and not yet committed before it refuses proposals
         * (default 64 MiB).
         */
        public Builder maxUncommittedBytes(long v) {
            maxUncommittedBytes = v;
            return this;
        }

        public Builder maxInflightBytes(long v) {
            maxInflightBytes = v;
            return this;
        }

        public Builder maxApplyBytes(long v) {
            maxApplyBytes = v;
            return this;
        }

        public Builder preVote(boolean v) {
            preVote = v;
            return this;
        }

        public Builder checkQuorum(boolean v) {
            checkQuorum = v;
            return this;
        }

        /**
         * Whether a leader asks a caught-up follower to send a lagging node its snapshot (default on). The
         * leader still decides who needs one and from which index on, and sends its own when the follower
         * declines, fails or goes silent; the leader's disk and network, which serve every write, are
         * spared the transfer. Turn it off while a group runs nodes of a version without it (a rolling
         * upgrade): an older node does not know the request and drops the connection it arrived on.
         */
        public Builder snapshotsFromFollowers(boolean v) {
            snapshotsFromFollowers = v;
            return this;
        }

        public RaftConfig build() {
            int lease = leaseTicks >= 0 ? leaseTicks : Math.max(1, (int) Math.floor((electionTicks - 1) / 1.2));
            return new RaftConfig(electionTicks, heartbeatTicks, lease, maxAppendBytes, maxInflightMessages,
                    maxInflightBytes, maxApplyBytes, preVote, checkQuorum, maxUncommittedBytes, snapshotsFromFollowers);
        }
    }
}
