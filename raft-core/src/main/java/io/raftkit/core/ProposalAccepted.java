package io.raftkit.core;

/**
 * A proposal was appended to the leader's log at {@code index} in {@code term}. It is committed (and
 * its result known) when this node applies {@code index} and finds an entry of {@code term} there; if
 * the entry at {@code index} has another term, the proposal was overwritten and never took effect.
 */
public record ProposalAccepted(long requestId, long index, long term) {}
