package io.raftkit.core.sim;

/**
 * A family of schedules: which faults a run injects. Every run draws its mix from its seed, so a fixed
 * range of seeds covers every mix; the mix then bounds the knobs {@link SimOptions#draw} picks.
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
    /** Paused nodes and clocks ticking at different rates (up to +-40%). */
    PAUSES_AND_SKEW,
    /** Everything at once, except lease reads (pauses and large skew break the lease's assumption). */
    CHAOS,
    /**
     * Everything that keeps the lease's assumption: crashes, partitions, a lossy network, and clock
     * skew within +-5%, no pauses; a large share of reads are lease reads.
     */
    LEASE_READS,
    /**
     * Leaders crash or get cut off soon after they are elected, again and again, while appends carry
     * one entry at a time: the interleavings of Raft's Figure 8, where a leader could be tempted to
     * commit an earlier term's entry by counting replicas.
     */
    LEADER_CHURN;

    /** Whether lease reads may be issued: no pauses and skew within the core's drift allowance. */
    boolean allowsLeaseReads() {
        return this != PAUSES_AND_SKEW && this != CHAOS;
    }
}
