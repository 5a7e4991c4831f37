package io.raftkit.testkit.memory;

import io.raftkit.core.Entry;
import io.raftkit.core.HardState;
import io.raftkit.core.LogStorage;
import io.raftkit.core.SnapshotMeta;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link LogStorage} held in memory, for tests and simulation. Every write is "durable" the moment it
 * is accepted, so its future is already complete; {@link #reopen()} models a restart by handing the same
 * state to a new instance.
 *
 * <p>Not thread-safe: like every {@code LogStorage}, it is used from one thread.
 */
public final class InMemoryLogStorage implements LogStorage {

    private final ArrayList<Entry> entries; // entries.get(i).index() == boundary.index() + 1 + i
    private SnapshotMeta boundary;
    private HardState hardState;
    private boolean closed;

    public InMemoryLogStorage() {
        this(new ArrayList<>(), SnapshotMeta.NONE, HardState.EMPTY);
    }

    private InMemoryLogStorage(ArrayList<Entry> entries, SnapshotMeta boundary, HardState hardState) {
        this.entries = entries;
        this.boundary = boundary;
        this.hardState = hardState;
    }

    /** A new instance holding this one's state, as if the process had restarted. */
    public InMemoryLogStorage reopen() {
        return new InMemoryLogStorage(new ArrayList<>(entries), boundary, hardState);
    }

    @Override
    public long firstIndex() {
        return boundary.index() + 1;
    }

    @Override
    public long lastIndex() {
        return boundary.index() + entries.size();
    }

    @Override
    public long term(long index) {
        if (index == boundary.index()) {
            return boundary.term();
        }
        checkRange(index, firstIndex(), lastIndex(), "term");
        return entries.get(offset(index)).term();
    }

    @Override
    public List<Entry> entries(long fromIndex, long toIndexExclusive, long maxBytes) {
        if (fromIndex > toIndexExclusive) {
            throw new IndexOutOfBoundsException("entries range [" + fromIndex + ", " + toIndexExclusive + ") is reversed");
        }
        checkRange(fromIndex, firstIndex(), lastIndex() + 1, "entries from");
        checkRange(toIndexExclusive, firstIndex(), lastIndex() + 1, "entries to");
        List<Entry> out = new ArrayList<>();
        long bytes = 0;
        for (long i = fromIndex; i < toIndexExclusive; i++) {
            Entry e = entries.get(offset(i));
            bytes += e.sizeBytes();
            if (!out.isEmpty() && bytes > maxBytes) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    @Override
    public HardState hardState() {
        return hardState;
    }

    @Override
    public SnapshotMeta snapshotMeta() {
        return boundary;
    }

    @Override
    public CompletableFuture<Void> append(List<Entry> newEntries) {
        ensureOpen();
        if (newEntries.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        long first = newEntries.get(0).index();
        if (first < firstIndex() || first > lastIndex() + 1) {
            throw new IllegalArgumentException("append at index " + first + " outside [" + firstIndex() + ", "
                    + (lastIndex() + 1) + "]");
        }
        for (int i = 1; i < newEntries.size(); i++) {
            if (newEntries.get(i).index() != first + i) {
                throw new IllegalArgumentException("appended entries are not consecutive at " + newEntries.get(i));
            }
        }
        entries.subList(offset(first), entries.size()).clear();
        entries.addAll(newEntries);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> truncateSuffix(long fromIndex) {
        ensureOpen();
        if (fromIndex < firstIndex() || fromIndex > lastIndex() + 1) {
            throw new IllegalArgumentException("truncate from " + fromIndex + " outside [" + firstIndex() + ", "
                    + (lastIndex() + 1) + "]");
        }
        entries.subList(offset(fromIndex), entries.size()).clear();
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> compact(SnapshotMeta snapshot) {
        ensureOpen();
        Objects.requireNonNull(snapshot, "snapshot");
        if (snapshot.index() <= boundary.index()) {
            return CompletableFuture.completedFuture(null);
        }
        boolean keepsSuffix = snapshot.index() <= lastIndex() && term(snapshot.index()) == snapshot.term();
        if (keepsSuffix) {
            entries.subList(0, offset(snapshot.index()) + 1).clear();
        } else {
            entries.clear();
        }
        boundary = snapshot;
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> saveHardState(HardState state) {
        ensureOpen();
        hardState = Objects.requireNonNull(state, "state");
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() {
        closed = true;
    }

    private int offset(long index) {
        return (int) (index - boundary.index() - 1);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("in-memory log storage is closed");
        }
    }

    private static void checkRange(long index, long lo, long hi, String what) {
        if (index < lo || index > hi) {
            throw new IndexOutOfBoundsException(what + " index " + index + " outside [" + lo + ", " + hi + "]");
        }
    }
}
