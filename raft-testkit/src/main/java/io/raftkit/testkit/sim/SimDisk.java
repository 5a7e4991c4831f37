package io.raftkit.testkit.sim;

import io.raftkit.core.Entry;
import io.raftkit.core.HardState;
import io.raftkit.core.LogStorage;
import io.raftkit.core.SnapshotMeta;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A {@link LogStorage} whose writes become durable only when the simulation says so, and whose
 * crashes lose what was not durable.
 *
 * <p>Every write is applied at once to the <em>accepted</em> image, which reads see (as the contract
 * requires), and queued. {@link #completeNext()} makes the oldest queued write durable: it is applied
 * to the <em>durable</em> image and its future completes. Writes therefore complete in submission
 * order. {@link #crash} models a power cut: it keeps the durable image, plus optionally a prefix of
 * the queued writes and a torn prefix of the next append (the contract allows both: they were never
 * acknowledged), and returns the disk the restarted node opens.
 *
 * <p>Single-threaded, like the simulation: futures complete on the caller's thread, inside
 * {@link #completeNext()}.
 */
final class SimDisk implements LogStorage {

    /** A queued write: how to apply it, and the entries when it is an append (for torn crashes). */
    private record PendingWrite(Consumer<DiskImage> apply, List<Entry> appended, CompletableFuture<Void> future) {}

    private final DiskImage durable;
    private final DiskImage accepted;
    private final ArrayDeque<PendingWrite> pending = new ArrayDeque<>();
    private long submitted;
    private long completed;
    private boolean closed;
    private Runnable onSubmit = () -> {};
    private boolean acknowledgesEarly;

    /** An empty disk. */
    public SimDisk() {
        this(new DiskImage());
    }

    private SimDisk(DiskImage durable) {
        this.durable = durable;
        this.accepted = durable.copy();
    }

    // ---- the simulation's controls ------------------------------------------------------------

    /**
     * A planted bug: from now on, every write's future completes as soon as it is submitted, while the
     * write still becomes durable only at its {@link #completeNext()} (a crash before that loses it).
     */
    public void acknowledgeEarly() {
        acknowledgesEarly = true;
    }

    /** Calls {@code listener} after every write submitted from now on (to schedule its completion). */
    public void onSubmit(Runnable listener) {
        onSubmit = listener;
    }

    /** Writes accepted but not yet durable. */
    public int pendingWrites() {
        return pending.size();
    }

    /** Writes submitted since this disk was opened. */
    public long submittedWrites() {
        return submitted;
    }

    /** Writes durable since this disk was opened: always a prefix of the submitted ones. */
    public long durableWrites() {
        return completed;
    }

    /** Makes the oldest pending write durable and completes its future. False when none is pending. */
    public boolean completeNext() {
        PendingWrite w = pending.poll();
        if (w == null) {
            return false;
        }
        w.apply().accept(durable);
        completed++;
        w.future().complete(null);
        return true;
    }

    /** Makes every pending write durable. */
    public void completeAll() {
        while (completeNext()) {
            // each call completes one write
        }
    }

    /**
     * Power cut. Pending writes fail. The returned disk holds the durable image plus the first
     * {@code survivingWrites} pending writes, and, when the next pending write is an append, its first
     * {@code tornEntries} entries: unacknowledged writes that happened to reach the platter.
     */
    public SimDisk crash(int survivingWrites, int tornEntries) {
        DiskImage image = durable.copy();
        int i = 0;
        for (PendingWrite w : pending) {
            if (i < survivingWrites) {
                w.apply().accept(image);
            } else if (i == survivingWrites && w.appended() != null && tornEntries > 0) {
                image.append(w.appended().subList(0, Math.min(tornEntries, w.appended().size())));
            }
            i++;
        }
        close();
        return new SimDisk(image);
    }

    /** The disk after a crash that lost every pending write. */
    public SimDisk restart() {
        return crash(0, 0);
    }

    /** Term at {@code index} in the durable image, or -1 when it holds no such entry. */
    public long durableTerm(long index) {
        return durable.termOrMissing(index);
    }

    public long durableLastIndex() {
        return durable.lastIndex();
    }

    /** The compaction boundary of the durable image: what a restart's log would start after. */
    public SnapshotMeta durableBoundary() {
        return durable.boundary();
    }

    // ---- LogStorage: reads see accepted writes ------------------------------------------------

    @Override
    public long firstIndex() {
        return accepted.firstIndex();
    }

    @Override
    public long lastIndex() {
        return accepted.lastIndex();
    }

    @Override
    public long term(long index) {
        return accepted.term(index);
    }

    @Override
    public List<Entry> entries(long fromIndex, long toIndexExclusive, long maxBytes) {
        return accepted.entries(fromIndex, toIndexExclusive, maxBytes);
    }

    @Override
    public HardState hardState() {
        return accepted.hardState();
    }

    @Override
    public SnapshotMeta snapshotMeta() {
        return accepted.boundary();
    }

    // ---- LogStorage: writes are queued --------------------------------------------------------

    @Override
    public CompletableFuture<Void> append(List<Entry> entries) {
        ensureOpen();
        List<Entry> copy = List.copyOf(entries);
        accepted.checkAppend(copy);
        return submit(image -> image.append(copy), copy);
    }

    @Override
    public CompletableFuture<Void> truncateSuffix(long fromIndex) {
        ensureOpen();
        accepted.checkTruncate(fromIndex);
        return submit(image -> image.truncateSuffix(fromIndex), null);
    }

    @Override
    public CompletableFuture<Void> compact(SnapshotMeta snapshot) {
        ensureOpen();
        Objects.requireNonNull(snapshot, "snapshot");
        return submit(image -> image.compact(snapshot), null);
    }

    @Override
    public CompletableFuture<Void> saveHardState(HardState state) {
        ensureOpen();
        Objects.requireNonNull(state, "state");
        return submit(image -> image.saveHardState(state), null);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (PendingWrite w : pending) {
            w.future().completeExceptionally(new IllegalStateException("simulated disk closed before the write was durable"));
        }
        pending.clear();
    }

    private CompletableFuture<Void> submit(Consumer<DiskImage> apply, List<Entry> appended) {
        apply.accept(accepted);
        CompletableFuture<Void> future = new CompletableFuture<>();
        pending.add(new PendingWrite(apply, appended, future));
        submitted++;
        onSubmit.run();
        if (acknowledgesEarly) {
            future.complete(null);
        }
        return future;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("simulated disk is closed (the node crashed)");
        }
    }
}
