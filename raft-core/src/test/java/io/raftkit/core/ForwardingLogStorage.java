package io.raftkit.core;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link LogStorage} that forwards everything to another and lets a subclass decide when each write
 * counts as durable ({@link #written}): a disk that completes at once, one that hangs, and so on.
 */
public abstract class ForwardingLogStorage implements LogStorage {

    private final LogStorage delegate;

    protected ForwardingLogStorage(LogStorage delegate) {
        this.delegate = delegate;
    }

    /** The future the caller gets for a write whose delegate's future is {@code write}. */
    protected abstract CompletableFuture<Void> written(CompletableFuture<Void> write);

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
        return written(delegate.append(entries));
    }

    @Override
    public CompletableFuture<Void> truncateSuffix(long fromIndex) {
        return written(delegate.truncateSuffix(fromIndex));
    }

    @Override
    public CompletableFuture<Void> compact(SnapshotMeta snapshot) {
        return written(delegate.compact(snapshot));
    }

    @Override
    public CompletableFuture<Void> saveHardState(HardState state) {
        return written(delegate.saveHardState(state));
    }

    @Override
    public void close() {
        delegate.close();
    }
}
