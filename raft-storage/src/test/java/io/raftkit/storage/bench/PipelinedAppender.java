package io.raftkit.storage.bench;

import io.raftkit.core.Entry;
import io.raftkit.storage.SegmentedLog;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.HdrHistogram.Histogram;

/**
 * One thread keeping {@code window} single-entry appends in flight on a {@link SegmentedLog}, as Raft's
 * event loop does: when the window is full it waits for the oldest append (futures complete in order)
 * and then refills the window. Each future's completion time is stamped by a callback that only stores
 * a number. It runs in slices on one open log, so that a cell can alternate it with the raw loop.
 */
final class PipelinedAppender {

    private final SegmentedLog log;
    private final byte[] data;
    private final int window;
    private final int slots;
    private final CompletableFuture<?>[] futures;
    private final long[] submittedAt;
    private final long[] doneAt;

    PipelinedAppender(SegmentedLog log, int payload, int window) {
        this.log = log;
        this.data = new byte[payload];
        this.window = window;
        this.slots = Integer.highestOneBit(window) * 2;
        this.futures = new CompletableFuture<?>[slots];
        this.submittedAt = new long[slots];
        this.doneAt = new long[slots];
    }

    /**
     * Submits appends for {@code nanos}, then waits for every one to be durable; records each append's
     * submit → durable latency in µs into {@code latency} (when not null). The slice ends at the last
     * completion, so its ramp-up and drain are charged to it.
     */
    Slice run(long nanos, Histogram latency) {
        long start = System.nanoTime();
        long end = start + nanos;
        long head = 0;
        long tail = 0;
        long next = log.lastIndex() + 1;
        while (true) {
            if (tail - head == window) {
                futures[(int) (head % slots)].join();
                while (head < tail && futures[(int) (head % slots)].isDone()) {
                    record(head++, latency);
                }
            }
            long t0 = System.nanoTime();
            if (t0 >= end) {
                break;
            }
            int slot = (int) (tail % slots);
            submittedAt[slot] = t0;
            futures[slot] = log.append(List.of(Entry.command(1, next++, data)))
                    .whenComplete((v, e) -> doneAt[slot] = System.nanoTime());
            tail++;
        }
        long last = start;
        while (head < tail) {
            futures[(int) (head % slots)].join();
            last = doneAt[(int) (head % slots)];
            record(head++, latency);
        }
        return new Slice(tail, Math.max(last, end) - start);
    }

    private void record(long seq, Histogram latency) {
        int slot = (int) (seq % slots);
        futures[slot].join(); // rethrows a failed append
        if (latency != null) {
            latency.recordValue((doneAt[slot] - submittedAt[slot]) / 1000);
        }
        futures[slot] = null;
    }
}
