package io.raftkit.node;

import io.raftkit.core.Entry;
import io.raftkit.core.SnapshotMeta;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Work the node driver hands to the {@link Applier}, in order. In production a thread of its own
 * ({@link ApplyThread}) takes them; in simulation the simulated apply process does.
 */
sealed interface ApplyTask {

    /**
     * Committed entries to apply, in index order, and what they count against
     * {@code NodeOptions.maxApplyQueueBytes} (summed once, by {@link #of}).
     */
    record Apply(List<Entry> entries, long bytes) implements ApplyTask {
        static Apply of(List<Entry> entries) {
            long sum = 0;
            for (Entry e : entries) {
                sum += e.sizeBytes();
            }
            return new Apply(entries, sum);
        }
    }

    /** Complete {@code future} with the result of the entry at {@code index} if it has {@code term}. */
    record Expect(long index, long term, CompletableFuture<byte[]> future) implements ApplyTask {}

    /**
     * Complete {@code future} once the configuration entry at {@code index} is applied with {@code term}
     * and the configuration in force is not joint (a joint change is done when it is left), with that
     * configuration's encoding.
     */
    record AwaitConfiguration(long index, long term, CompletableFuture<byte[]> future) implements ApplyTask {}

    /** Answer {@code query} once everything up to {@code index} is applied. */
    record ReadAt(long index, byte[] query, CompletableFuture<byte[]> future) implements ApplyTask {}

    /** Restore the state machine from the store's snapshot at {@code meta} (a leader sent it). */
    record Restore(SnapshotMeta meta) implements ApplyTask {}

    /** Run a callback (a future to fail, listeners to call) in order with the rest, never on the driver's thread. */
    record Callback(Runnable run, CompletableFuture<byte[]> future) implements ApplyTask {}
}
