package io.raftkit.core.tracker;

/** How the leader replicates to one follower. */
public enum ProgressState {
    /**
     * The leader does not know where the follower's log matches its own: it sends one append at a time
     * and waits for the answer (or a heartbeat answer) before sending the next.
     */
    PROBE,
    /** The logs match up to {@code match}: appends are pipelined, bounded by {@link Inflights}. */
    REPLICATE,
    /** The follower needs entries the leader has compacted away: a snapshot is being sent. */
    SNAPSHOT
}
