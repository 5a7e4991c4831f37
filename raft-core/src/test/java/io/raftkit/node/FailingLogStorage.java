package io.raftkit.node;

import io.raftkit.core.Entry;
import io.raftkit.core.HardState;
import io.raftkit.core.LogStorage;
import io.raftkit.core.SnapshotMeta;
import io.raftkit.core.memory.InMemoryLogStorage;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** An in-memory log whose writes can be made to fail, as a full or broken disk would. */
final class FailingLogStorage implements LogStorage {

    private final InMemoryLogStorage delegate = new InMemoryLogStorage();
    volatile boolean failing;

    private CompletableFuture<Void> maybeFail(java.util.function.Supplier<CompletableFuture<Void>> write) {
        if (failing) {
            return CompletableFuture.failedFuture(new IOException("injected: no space left on device (segment 7)"));
        }
        return write.get();
    }

    @Override
    public long firstIndex() {
        return delegate.firstIndex();
    }

    @Override
    public long lastIndex() {
        return delegate.lastIndex();
    }

    @Override
    public long term(long index) {
        return delegate.term(index);
    }

    @Override
    public List<Entry> entries(long fromIndex, long toIndexExclusive, long maxBytes) {
        return delegate.entries(fromIndex, toIndexExclusive, maxBytes);
    }

    @Override
    public HardState hardState() {
        return delegate.hardState();
    }

    @Override
    public SnapshotMeta snapshotMeta() {
        return delegate.snapshotMeta();
    }

    @Override
    public CompletableFuture<Void> append(List<Entry> entries) {
        return maybeFail(() -> delegate.append(entries));
    }

    @Override
    public CompletableFuture<Void> truncateSuffix(long fromIndex) {
        return maybeFail(() -> delegate.truncateSuffix(fromIndex));
    }

    @Override
    public CompletableFuture<Void> compact(SnapshotMeta snapshot) {
        return maybeFail(() -> delegate.compact(snapshot));
    }

    @Override
    public CompletableFuture<Void> saveHardState(HardState state) {
        return maybeFail(() -> delegate.saveHardState(state));
    }

    @Override
    public void close() {
        delegate.close();
    }
}
