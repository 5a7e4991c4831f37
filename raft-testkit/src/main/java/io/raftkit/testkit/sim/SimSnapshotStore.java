package io.raftkit.testkit.sim;

import io.raftkit.core.SnapshotMeta;
import io.raftkit.core.SnapshotStore;
import io.raftkit.testkit.memory.InMemorySnapshotStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A node's durable snapshots: the in-memory {@link SnapshotStore} (which, like the real one, makes a
 * snapshot visible once its writer commits and keeps the highest index as the latest), telling the
 * checkers of each commit. It outlives the node's incarnations, as files would. When a commit happens
 * is the simulation's choice: the runtime commits on its apply process (snapshots it takes) and on its
 * snapshot I/O process (snapshots it receives), which run after random latencies, so a crash before
 * then loses the snapshot.
 */
final class SimSnapshotStore implements SnapshotStore {

    private final InMemorySnapshotStore store = new InMemorySnapshotStore();
    private final Consumer<SimSnapshot> committed;

    /** {@code committed} sees every snapshot as it becomes durable. */
    SimSnapshotStore(Consumer<SimSnapshot> committed) {
        this.committed = committed;
    }

    @Override
    public SnapshotWriter create(SnapshotMeta meta) {
        SnapshotWriter w = store.create(meta);
        return new SnapshotWriter() {
            @Override
            public OutputStream output() {
                return w.output();
            }

            @Override
            public void commit() throws IOException {
                w.commit();
                SimSnapshot latest = latestSnapshot();
                if (latest.index() == meta.index()) {
                    committed.accept(latest);
                }
            }

            @Override
            public void abort() {
                w.abort();
            }
        };
    }

    @Override
    public Optional<Snapshot> latest() {
        return store.latest();
    }

    @Override
    public void close() {
        // the disk outlives the node
    }

    /** The latest durable snapshot, or null. */
    SimSnapshot latestSnapshot() {
        Optional<Snapshot> s = store.latest();
        if (s.isEmpty()) {
            return null;
        }
        try (InputStream in = s.get().open()) {
            return new SimSnapshot(s.get().meta(), in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The index of the latest durable snapshot, 0 when there is none. */
    long durableIndex() {
        return store.latest().map(s -> s.meta().index()).orElse(0L);
    }
}
