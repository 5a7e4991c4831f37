package io.raftkit.examples.loadgen;

import io.raftkit.node.RaftNode;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Keeps exactly {@code concurrency} writes in flight against one node: each client submits its next
 * write the moment the previous one completes (closed loop), so the figures show what the group
 * sustains, not what a queue absorbs.
 */
final class ClosedLoopRun {

    /** The figures of one measured window. */
    record Result(long operations, long errors, double seconds, Histogram latencyNanos) {}

    private final RaftNode target;
    private final int concurrency;
    private final byte[] payload;
    private final Recorder recorder = new Recorder(TimeUnit.SECONDS.toNanos(60), 3);
    private final AtomicBoolean measuring = new AtomicBoolean();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicLong operations = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final CountDownLatch clientsDone;

    ClosedLoopRun(RaftNode target, int concurrency, int payloadBytes) {
        this.target = target;
        this.concurrency = concurrency;
        this.payload = new byte[payloadBytes];
        new java.util.Random(42).nextBytes(payload);
        this.clientsDone = new CountDownLatch(concurrency);
    }

    Result run(Duration warmup, Duration window) throws InterruptedException {
        for (int i = 0; i < concurrency; i++) {
            next();
        }
        TimeUnit.NANOSECONDS.sleep(warmup.toNanos()); // the load runs meanwhile; nothing to await
        recorder.getIntervalHistogram(); // discard the warm-up
        operations.set(0);
        errors.set(0);
        measuring.set(true);
        long start = System.nanoTime();
        TimeUnit.NANOSECONDS.sleep(window.toNanos());
        measuring.set(false);
        long end = System.nanoTime();
        Histogram h = recorder.getIntervalHistogram();
        long ops = operations.get();
        long errs = errors.get();
        stopping.set(true);
        if (!clientsDone.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("writes still in flight 60 s after the window closed");
        }
        return new Result(ops, errs, (end - start) / 1e9, h);
    }

    private void next() {
        if (stopping.get()) {
            clientsDone.countDown();
            return;
        }
        long t0 = System.nanoTime();
        target.submit(payload).whenComplete((result, error) -> {
            if (measuring.get()) {
                if (error == null) {
                    recorder.recordValue(System.nanoTime() - t0);
                    operations.incrementAndGet();
                } else {
                    errors.incrementAndGet();
                }
            }
            next();
        });
    }
}
