package io.raftkit.core;

/** The role a node plays in its current term. */
public enum RaftRole {
    /** Follows a leader (or waits for one). */
    FOLLOWER,
    /** Asks, without changing term, whether it could win an election (pre-vote). */
    PRE_CANDIDATE,
    /** Campaigns in a new term. */
    CANDIDATE,
    /** Accepts writes and replicates them. At most one per term. */
    LEADER
}
