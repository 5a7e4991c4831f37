package io.raftkit.core;

/**
 * A read request became safe to serve: once the state machine has applied up to {@code readIndex}, a
 * query answered from it is linearizable (or lease-consistent, for a lease read).
 */
public record ReadState(long requestId, long readIndex) {}
