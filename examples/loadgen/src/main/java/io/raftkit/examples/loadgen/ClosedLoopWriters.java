package io.raftkit.examples.loadgen;

import io.raftkit.node.RaftNode;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/**
 * Closed-loop writers against one node that run until stopped, for the long-running benchmarks: each
 * submits its next write when the previous ends. Counts completed writes and errors and records each
 * successful write's latency, for whoever samples them by interval.
 */
final class ClosedLoopWriters {

    final AtomicLong done = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final Recorder latencyNanos = new Recorder(TimeUnit.SECONDS.toNanos(60), 3);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final RaftNode target;
    private final int concurrency;
    private final byte[] payload;

    ClosedLoopWriters(RaftNode target, int concurrency, byte[] payload) {
        this.target = target;
        this.concurrency = concurrency;
        this.payload = payload;
    }

    void start() {
        for (int i = 0; i < concurrency; i++) {
            next();
        }
    }

    void stop() {
        running.set(false);
    }

    private void next() {
        if (!running.get()) {
            return;
        }
        long t0 = System.nanoTime();
        target.submit(payload).whenComplete((r, e) -> {
            if (e == null) {
                done.incrementAndGet();
                latencyNanos.recordValue(Math.min(System.nanoTime() - t0, TimeUnit.SECONDS.toNanos(60)));
            } else {
                errors.incrementAndGet();
            }
            next();
        });
    }
}
