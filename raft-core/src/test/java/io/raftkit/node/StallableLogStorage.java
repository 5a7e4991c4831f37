package io.raftkit.node;

import io.raftkit.core.Entry;
import io.raftkit.core.HardState;
import io.raftkit.core.LogStorage;
import io.raftkit.core.SnapshotMeta;
import io.raftkit.core.memory.InMemoryLogStorage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An in-memory log whose disk can hang: while stalled, writes are accepted (reads see them) but never
 * reported durable, as a hung fsync would leave them; {@link #release()} makes them durable, in order.
 */
final class StallableLogStorage implements LogStorage {

    private final InMemoryLogStorage log = new InMemoryLogStorage();
    private final List<CompletableFuture<Void>> held = new ArrayList<>();
    private boolean stalled;

    synchronized void stall() {
        stalled = true;
    }

    /** The disk answers again: every held write completes, in order. */
    void release() {
        List<CompletableFuture<Void>> done;
        synchronized (this) {
            stalled = false;
            done = new ArrayList<>(held);
            held.clear();
        }
        done.forEach(f -> f.complete(null));
    }

    private synchronized CompletableFuture<Void> durable(CompletableFuture<Void> write) {
        if (!stalled && held.isEmpty()) {
            return write;
        }
        CompletableFuture<Void> later = new CompletableFuture<>();
        held.add(later);
        return later;
    }

    @Override
    public long firstIndex() {
        return log.firstIndex();
    }

    @Override
    public long lastIndex() {
        return log.lastIndex();
    }

    @Override
    public long term(long index) {
        return log.term(index);
    }

    @Override
    public List<Entry> entries(long fromIndex, long toIndexExclusive, long maxBytes) {
        return log.entries(fromIndex, toIndexExclusive, maxBytes);
    }

    @Override
    public HardState hardState() {
        return log.hardState();
    }

    @Override
    public SnapshotMeta snapshotMeta() {
        return log.snapshotMeta();
    }

    @Override
    public CompletableFuture<Void> append(List<Entry> entries) {
        return durable(log.append(entries));
    }

    @Override
    public CompletableFuture<Void> truncateSuffix(long fromIndex) {
        return durable(log.truncateSuffix(fromIndex));
    }

    @Override
    public CompletableFuture<Void> compact(SnapshotMeta snapshot) {
        return durable(log.compact(snapshot));
    }

    @Override
    public CompletableFuture<Void> saveHardState(HardState state) {
        return durable(log.saveHardState(state));
    }

    @Override
    public void close() {
        log.close();
    }
}
