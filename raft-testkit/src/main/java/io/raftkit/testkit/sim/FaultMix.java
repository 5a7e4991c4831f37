package io.raftkit.testkit.sim;

/**
 * A family of schedules: which faults a run injects. Every run draws its mix from its seed, so a fixed
 * range of seeds covers every mix; the mix then bounds the knobs {@link SimOptions#draw} picks.
 *
 * <p>Clock rates differ per node in every mix, within the drift the README promises for lease reads
 * ({@link SimOptions#leaseSafeSkew}), except in {@link #WILD_CLOCKS}, the one mix without lease reads.
 */
public enum FaultMix {
    /** Only message delay and reordering: the baseline every other mix adds to. */
    CALM,
    /** Loss, duplication, long delays, reordering. */
    LOSSY_NETWORK,
    /** Symmetric and one-way partitions and isolated nodes, coming and going. */
    PARTITIONS,
    /** Crashes (losing what was not durable), restarts and slow disks. */
    CRASHES,
    /**
     * Stalled processes (a GC pause, SIGSTOP): a node's threads stop while time and its clock run on,
     * sometimes the leader's while it is cut off, resuming before the partition heals.
     */
    STALLS,
    /** Everything at once. */
    CHAOS,
    /** Everything at once, and a large share of reads are lease reads sent to whoever thinks it leads. */
    LEASE_READS,
    /**
     * Leaders crash or get cut off soon after they are elected, again and again, while appends carry
     * one entry at a time: the interleavings of Raft's Figure 8, where a leader could be tempted to
     * commit an earlier term's entry by counting replicas.
     */
    LEADER_CHURN,
    /**
     * Clocks up to +-40% apart (beyond what lease reads allow, so none are issued), with a lossy network
     * and partitions: elections must still converge when the nodes that cannot win tick fastest.
     */
    WILD_CLOCKS,
    /**
     * Configuration changes, single-server and joint, adding and removing voters and learners, on
     * groups of 1 to 7 voters among up to 7 nodes, with every other fault but wild clocks.
     */
    MEMBERSHIP;

    /** Whether lease reads may be issued: clock drift within what the README promises them. */
    boolean allowsLeaseReads() {
        return this != WILD_CLOCKS;
    }
}
