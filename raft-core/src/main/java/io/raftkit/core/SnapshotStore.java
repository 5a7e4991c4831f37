package io.raftkit.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * Durable snapshot files. A snapshot is streamed in and out, never required to fit in memory.
 *
 * <p>A snapshot becomes visible to {@link #latest()} only when {@link SnapshotWriter#commit()} has
 * made it durable as a whole; a crash before that leaves the previous snapshot in place.
 */
public interface SnapshotStore extends AutoCloseable {

    /** Starts writing a new snapshot described by {@code meta}. */
    SnapshotWriter create(SnapshotMeta meta) throws IOException;

    /**
     * The newest snapshot that reads back intact, if any. A corrupt newer snapshot is reported (logged)
     * and skipped in favour of an older valid one.
     */
    Optional<Snapshot> latest() throws IOException;

    @Override
    void close();

    /** A snapshot being written. Exactly one of {@link #commit()} or {@link #abort()} must be called. */
    interface SnapshotWriter extends AutoCloseable {

        /** Where the state machine writes its image. */
        OutputStream output();

        /** Makes the snapshot durable and the latest one. */
        void commit() throws IOException;

        /** Discards what was written. Idempotent; a no-op after commit. */
        void abort();

        /** Aborts unless committed. */
        @Override
        default void close() {
            abort();
        }
    }

    /** A stored snapshot. */
    interface Snapshot {

        SnapshotMeta meta();

        /** Size of the state machine image in bytes. */
        long sizeBytes();

        /** Opens the image for reading from the start; the checksum is verified as it is read. */
        InputStream open() throws IOException;
    }
}
