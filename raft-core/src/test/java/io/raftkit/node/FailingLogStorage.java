package io.raftkit.node;

import io.raftkit.core.ForwardingLogStorage;
import io.raftkit.testkit.memory.InMemoryLogStorage;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * An in-memory log whose writes can be made to fail, as a full or broken disk would: the write may
 * have reached the memory behind it, but its future fails, like a write whose fsync reported an error.
 */
final class FailingLogStorage extends ForwardingLogStorage {

    volatile boolean failing;

    FailingLogStorage() {
        super(new InMemoryLogStorage());
    }

    @Override
    protected CompletableFuture<Void> written(CompletableFuture<Void> write) {
        if (failing) {
            return CompletableFuture.failedFuture(new IOException("injected: no space left on device (segment 7)"));
        }
        return write;
    }
}
