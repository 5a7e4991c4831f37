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
     * acknowledged it within the lease duration). Linearizable as long as no node's clock runs more
     * than about 20% faster than another's (see {@code RaftConfig.leaseTicks}). Requires check-quorum.
     * On a follower, or when the lease has lapsed, it falls back to {@link #LINEARIZABLE}.
     */
    LEASE,
    /**
     * Stale: answered at once from this node's state machine. May miss recent writes (also ones this
     * client made through another node), but never shows a write that was not committed.
     */
    STALE
}
