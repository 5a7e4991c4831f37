package io.raftkit.node;

/** How fresh a {@link RaftNode#query} must be. */
public enum ReadConsistency {
    /**
     * Linearizable (the default): the answer reflects every write that completed before the query was
     * made, on any node. Costs one heartbeat round to the leader's majority (ReadIndex), shared by all
     * reads arriving together; a follower asks the leader for the read index and answers locally.
     */
    LINEARIZABLE,
    /**
     * Lease: the leader answers without a heartbeat round while its lease holds (a majority
     * acknowledged a heartbeat round it sent less than {@code RaftConfig.leaseTicks} ago). Linearizable
     * as long as the leader's clock runs no more than 20% slow against a follower's (see
     * {@code RaftConfig.leaseTicks}) and its monotonic {@link Clock} keeps running while the rest of the
     * group does. Stalls of the node itself (GC pauses, a stopped process) are safe: it catches up with
     * its clock before it serves anything, so a stall longer than the lease ends it. A machine or VM
     * whose monotonic clock stops while suspended is not. Requires check-quorum. On a follower, or when
     * the lease has lapsed, it falls back to {@link #LINEARIZABLE}.
     */
    LEASE,
    /**
     * Stale: answered at once from this node's state machine. May miss recent writes (also ones this
     * client made through another node), but never shows a write that was not committed.
     */
    STALE
}
