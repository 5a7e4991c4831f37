package io.raftkit.node;

import io.raftkit.core.ForwardingLogStorage;
import io.raftkit.testkit.memory.InMemoryLogStorage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An in-memory log whose disk can hang: while stalled, writes are accepted (reads see them) but never
 * reported durable, as a hung fsync would leave them; {@link #release()} makes them durable, in order.
 */
final class StallableLogStorage extends ForwardingLogStorage {

    private final List<CompletableFuture<Void>> held = new ArrayList<>();
    private boolean stalled;

    StallableLogStorage() {
        super(new InMemoryLogStorage());
    }

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

    @Override
    protected synchronized CompletableFuture<Void> written(CompletableFuture<Void> write) {
        if (!stalled && held.isEmpty()) {
            return write;
        }
        CompletableFuture<Void> later = new CompletableFuture<>();
        held.add(later);
        return later;
    }
}
