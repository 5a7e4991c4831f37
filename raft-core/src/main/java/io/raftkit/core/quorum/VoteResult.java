package io.raftkit.core.quorum;

/** Where an election stands. */
public enum VoteResult {
    /** A majority granted. */
    WON,
    /** A majority rejected: the election cannot be won any more. */
    LOST,
    /** Neither yet. */
    PENDING
}
