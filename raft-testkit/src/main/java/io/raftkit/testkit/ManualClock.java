package io.raftkit.testkit;

import io.raftkit.node.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Clock} that moves only when a test moves it. Give each node its own to stall one node's time
 * while the others' runs on, or to make a lease, an election timeout or a request deadline run out
 * without waiting for it. Thread-safe.
 *
 * <p>A node notices a move within one tick interval of real time (its event loop wakes at least that
 * often), so a test moves the clock and then awaits what it expects (see
 * {@link TestCluster#advanceUntil}), never sleeps.
 */
public final class ManualClock implements Clock {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final AtomicLong wallMillis = new AtomicLong(1_700_000_000_000L);

    /** A clock at an arbitrary origin (one second; wall time in November 2023). */
    public ManualClock() {}

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    /** Moves with {@link #nanoTime}, so that client sessions expire on this clock too. */
    @Override
    public long wallMillis() {
        return wallMillis.get();
    }

    /** Moves the clock on by {@code d}. */
    public void advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("a clock cannot move backwards: " + d);
        }
        long n = d.toNanos();
        nanos.addAndGet(n);
        wallMillis.addAndGet(n / 1_000_000);
    }
}
