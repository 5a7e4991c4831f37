package io.raftkit.testkit.memory;

import io.raftkit.core.SnapshotMeta;
import io.raftkit.core.SnapshotStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A {@link SnapshotStore} in memory, for tests and simulation. Committed snapshots survive
 * {@link #close()} (the same instance can be handed to a restarted node, as files would be).
 * Thread-safe.
 */
public final class InMemorySnapshotStore implements SnapshotStore {

    /** An empty store. */
    public InMemorySnapshotStore() {}

    private record Stored(SnapshotMeta meta, byte[] data) implements Snapshot {
        @Override
        public long sizeBytes() {
            return data.length;
        }

        @Override
        public InputStream open() {
            return new ByteArrayInputStream(data);
        }
    }

    private final List<Stored> snapshots = new ArrayList<>();

    @Override
    public SnapshotWriter create(SnapshotMeta meta) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        return new SnapshotWriter() {
            private boolean done;

            @Override
            public OutputStream output() {
                return buffer;
            }

            @Override
            public void commit() {
                if (done) {
                    throw new IllegalStateException("snapshot " + meta + " is already committed or aborted");
                }
                done = true;
                synchronized (InMemorySnapshotStore.this) {
                    snapshots.add(new Stored(meta, buffer.toByteArray()));
                    snapshots.sort((a, b) -> Long.compare(a.meta().index(), b.meta().index()));
                    while (snapshots.size() > 3) {
                        snapshots.remove(0);
                    }
                }
            }

            @Override
            public void abort() {
                done = true;
            }
        };
    }

    @Override
    public synchronized Optional<Snapshot> latest() {
        return snapshots.isEmpty() ? Optional.empty() : Optional.of(snapshots.get(snapshots.size() - 1));
    }

    @Override
    public void close() {
        // Nothing to release; committed snapshots stay for a restarted node.
    }
}
