package io.raftkit.core;

/**
 * A read request became safe to serve: once the state machine has applied up to {@code readIndex}, a
 * query answered from it is linearizable (or lease-consistent, for a lease read).
 *
 * <p>A read the leader cleared by its lease, without a heartbeat round, holds only if it was cleared
 * before the core's tick count reached {@code leaseExpiresAtTick}. The core checked that with the ticks
 * it had been given; a driver whose thread may have stalled between delivering its last tick and taking
 * this Ready (a GC pause, say) delivers the ticks due now and checks {@code RaftCore.ticks()} against it
 * again before serving, or asks for a read index instead.
 *
 * @param leaseExpiresAtTick the tick at which the lease this read relies on ends, or {@link #CONFIRMED}
 *     for a read confirmed by a heartbeat round (or by the leader, for a follower), which no stall undoes
 */
public record ReadState(long requestId, long readIndex, long leaseExpiresAtTick) {

    /** {@code leaseExpiresAtTick} of a read confirmed by a round of heartbeats, not by a lease. */
    public static final long CONFIRMED = Long.MAX_VALUE;

    /** A read confirmed by a heartbeat round. */
    public ReadState(long requestId, long readIndex) {
        this(requestId, readIndex, CONFIRMED);
    }

    /** True when the read was cleared by the leader's lease. */
    public boolean byLease() {
        return leaseExpiresAtTick != CONFIRMED;
    }
}
