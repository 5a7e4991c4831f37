package io.raftkit.testkit.sim;

import io.raftkit.node.Clock;

/**
 * A node's monotonic clock in the simulation: simulated time, scaled by the node's own rate (clocks of
 * different nodes run at different speeds, within the drift the README promises for lease reads, or
 * beyond it in mixes without them) and shifted by a random offset (nodes tick out of phase).
 *
 * <p>It keeps running while its node's process is stalled, as a real monotonic clock does: a stalled
 * node must catch up with it before it serves anything. {@code stopsWhileStalled} plants the bug of a
 * node whose sense of time stops with its process (the old event loop, which counted a lease in ticks it
 * had not delivered): the clock then leaves out the time the process spent stalled.
 */
final class SimClock implements Clock {

    /** Clock nanoseconds per simulated time unit at the nominal rate: a nominal tick is 100 ms. */
    static final long NANOS_PER_UNIT = 100_000_000L / SimOptions.TICK;

    private final EventQueue events;
    private final double rate;
    private final long offsetNanos;
    private final boolean stopsWhileStalled;
    private long stalledSince = -1;
    private long stalledTotal;

    /**
     * @param tickPeriod the node's tick period in simulated units ({@link SimOptions#TICK} is nominal)
     * @param offsetNanos where the clock starts, so that nodes tick out of phase
     */
    SimClock(EventQueue events, long tickPeriod, long offsetNanos, boolean stopsWhileStalled) {
        this.events = events;
        this.rate = SimOptions.TICK / (double) tickPeriod;
        this.offsetNanos = offsetNanos;
        this.stopsWhileStalled = stopsWhileStalled;
    }

    /** The simulated wall clock, for session stamps: one unit is a millisecond; nodes agree within their skew. */
    @Override
    public long wallMillis() {
        return (long) (events.now() * NANOS_PER_UNIT * rate / 1_000_000L);
    }

    @Override
    public long nanoTime() {
        long running = events.now();
        if (stopsWhileStalled) {
            running -= stalledTotal + (stalledSince >= 0 ? events.now() - stalledSince : 0);
        }
        return offsetNanos + (long) (running * NANOS_PER_UNIT * rate);
    }

    /** Simulated units until this clock has moved on by {@code nanos} (at least 1). */
    long unitsFor(long nanos) {
        return Math.max(1, (long) Math.ceil(nanos / (NANOS_PER_UNIT * rate)));
    }

    void stalled() {
        stalledSince = events.now();
    }

    void resumed() {
        if (stalledSince >= 0) {
            stalledTotal += events.now() - stalledSince;
            stalledSince = -1;
        }
    }
}
