package io.raftkit.testkit.sim;

import io.raftkit.core.ForwardingLogStorage;
import io.raftkit.core.LogStorage;
import io.raftkit.core.contract.LogStorageContractTest;
import java.util.concurrent.CompletableFuture;

/**
 * {@link SimDisk} keeps the {@link LogStorage} contract. The contract test waits on futures, which a
 * simulated disk completes only when told to, so the adapter here plays a disk that finishes every
 * write as soon as it is queued; {@link SimDiskTest} covers the delayed completions and crashes.
 */
class SimDiskContractTest extends LogStorageContractTest {

    @Override
    protected LogStorage create() {
        return new PromptDisk(new SimDisk());
    }

    @Override
    protected LogStorage reopen(LogStorage closed) {
        return new PromptDisk(((PromptDisk) closed).disk.restart());
    }

    /** Completes each write of a {@link SimDisk} right after submitting it. */
    private static final class PromptDisk extends ForwardingLogStorage {
        final SimDisk disk;

        PromptDisk(SimDisk disk) {
            super(disk);
            this.disk = disk;
        }

        @Override
        protected CompletableFuture<Void> written(CompletableFuture<Void> f) {
            disk.completeAll();
            return f;
        }
    }
}
