package io.raftkit.node;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of durations in fixed buckets, cheap enough to record on every request: one bucket lookup and
 * two {@link LongAdder} increments, no allocation, safe from any thread. The bucket bounds (50 µs to
 * 10 s, roughly three per decade) suit both a loopback round trip and an election; exporters turn them
 * into Prometheus or Micrometer histograms.
 */
public final class LatencyHistogram {

    /** Upper bounds of the buckets in nanoseconds; a last, unbounded bucket follows. */
    private static final long[] BOUNDS_NANOS = {
            50_000, 100_000, 250_000, 500_000,
            1_000_000, 2_500_000, 5_000_000,
            10_000_000, 25_000_000, 50_000_000,
            100_000_000, 250_000_000, 500_000_000,
            1_000_000_000, 2_500_000_000L, 5_000_000_000L, 10_000_000_000L};

    private final LongAdder[] counts = new LongAdder[BOUNDS_NANOS.length + 1];
    private final LongAdder sumNanos = new LongAdder();

    LatencyHistogram() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    void record(long nanos) {
        long n = Math.max(0, nanos);
        int i = 0;
        while (i < BOUNDS_NANOS.length && n > BOUNDS_NANOS[i]) {
            i++;
        }
        counts[i].increment();
        sumNanos.add(n);
    }

    /** The upper bound of every bucket but the last (which has none), in nanoseconds, ascending. */
    public static long[] boundsNanos() {
        return BOUNDS_NANOS.clone();
    }

    /** Per bucket, how many durations fell in it (not cumulative); one more entry than {@link #boundsNanos()}. */
    public long[] counts() {
        long[] c = new long[counts.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = counts[i].sum();
        }
        return c;
    }

    /** How many durations were recorded. */
    public long count() {
        long total = 0;
        for (LongAdder c : counts) {
            total += c.sum();
        }
        return total;
    }

    /** The sum of all recorded durations, in nanoseconds. */
    public long sumNanos() {
        return sumNanos.sum();
    }
}
