package io.raftkit.core.sim;

import io.raftkit.core.Entry;
import io.raftkit.core.HardState;
import io.raftkit.core.LogStorage;
import io.raftkit.core.SnapshotMeta;
import io.raftkit.core.contract.LogStorageContractTest;
import java.util.List;
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
    private static final class PromptDisk implements LogStorage {
        final SimDisk disk;

        PromptDisk(SimDisk disk) {
            this.disk = disk;
        }

        private CompletableFuture<Void> prompt(CompletableFuture<Void> f) {
            disk.completeAll();
            return f;
        }

        @Override
        public long firstIndex() {
            return disk.firstIndex();
        }

        @Override
        public long lastIndex() {
            return disk.lastIndex();
        }

        @Override
        public long term(long index) {
            return disk.term(index);
        }

        @Override
        public List<Entry> entries(long fromIndex, long toIndexExclusive, long maxBytes) {
            return disk.entries(fromIndex, toIndexExclusive, maxBytes);
        }

        @Override
        public HardState hardState() {
            return disk.hardState();
        }

        @Override
        public SnapshotMeta snapshotMeta() {
            return disk.snapshotMeta();
        }

        @Override
        public CompletableFuture<Void> append(List<Entry> entries) {
            return prompt(disk.append(entries));
        }

        @Override
        public CompletableFuture<Void> truncateSuffix(long fromIndex) {
            return prompt(disk.truncateSuffix(fromIndex));
        }

        @Override
        public CompletableFuture<Void> compact(SnapshotMeta snapshot) {
            return prompt(disk.compact(snapshot));
        }

        @Override
        public CompletableFuture<Void> saveHardState(HardState state) {
            return prompt(disk.saveHardState(state));
        }

        @Override
        public void close() {
            disk.close();
        }
    }
}
