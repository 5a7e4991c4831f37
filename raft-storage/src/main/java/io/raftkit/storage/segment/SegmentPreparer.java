package io.raftkit.storage.segment;

import io.raftkit.storage.fs.FileSystem;
import io.raftkit.storage.fs.StorageFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Has the log's next segment file ready before the active one fills, so that no append in the new
 * segment extends its file: either a compacted segment kept as a spare ({@link #offer}, named
 * {@value #SPARE_PREFIX} and a number), or a file named {@value #FILE_NAME}, zero-filled to the segment size
 * and forced, written on a thread of its own. When the writer rolls to a new segment it renames the
 * file into place ({@link SegmentWriter#adopt}), a spare first.
 *
 * <p>Why spares: zero-filling writes and forces a whole segment of zeros for every segment of records,
 * twice the bytes on disk, and its one large fsync is one the log's own fsyncs queue behind. A compacted
 * segment's blocks are already allocated and written, so overwriting them costs no zeros at all; the
 * records it still holds cannot pass for the new segment's, whose checksums are seeded with its id
 * ({@link RecordChecksum}). Measured with the load generator (3 nodes, 1 KiB writes, 128 in flight,
 * snapshots every 100,000 entries, 3 alternated pairs): 82-112k writes/s with zero-filled files only,
 * 137-142k with spares.
 * PostgreSQL recycles its WAL segments the same way, RocksDB its log files.
 *
 * <p>Why a whole segment ahead and off the write path: the active segment's own step preallocation
 * writes its zeros on the writer thread, and the next fsync of records carries them (about as many
 * bytes again as the records at 256 appenders of 100 B). With the file prepared beforehand that fsync
 * carries the records only. Measured on the development machine with a first segment and a prepared
 * one run alternately against the raw batched loop (256 appenders of 100 B): 71-98% of raw for the
 * prepared segment against 67-94% for the first, ahead in 8 of 9 runs by 4 points on average. etcd's
 * WAL prepares its next file ahead in the same way, and PostgreSQL recycles pre-zeroed WAL segments.
 *
 * <p>Only one file is zero-filled at a time, and only when the writer {@linkplain #request asks} and no
 * spare is waiting: the writer asks once the active segment is an eighth full, so logs that never fill a
 * segment (tests, idle groups) never pay for the zeros. A failure to prepare never fails the log: it is
 * logged, the partial file is deleted, and the writer creates its next segments as before. Recovery
 * deletes leftover files (FORMAT.md §6 step 1): the prepared file holds zeros, a spare only records
 * below the compaction boundary.
 *
 * <p>Thread-safe: the writer thread calls {@link #offer}, {@link #request}, {@link #take} and
 * {@link #close}; the
 * preparing runs on a short-lived thread per file.
 */
public final class SegmentPreparer {

    /** The name of the prepared file in the log directory. */
    public static final String FILE_NAME = "segment.prepared";
    /** The prefix of a spare's name; a number follows it. */
    public static final String SPARE_PREFIX = "segment.spare.";

    private static final Logger LOG = LoggerFactory.getLogger(SegmentPreparer.class);

    private final FileSystem fs;
    private final Path file;
    private final Path dir;
    private final long bytes;
    /** Spares kept at most (SegmentedLogOptions.withSpareBytes, in whole segments). */
    private final int maxSpares;
    private long nextSpareName; // guarded by lock

    private final Object lock = new Object();
    private Thread preparing; // guarded by lock
    private boolean ready; // guarded by lock
    private boolean failed; // guarded by lock
    private final ArrayDeque<Path> spares = new ArrayDeque<>(); // guarded by lock
    private volatile boolean closed;

    /**
     * Prepares files of {@code bytes} zeros in {@code dir}, each when {@link #request}ed, and keeps up to
     * {@code maxSpares} segments {@link #offer}ed.
     */
    public SegmentPreparer(FileSystem fs, Path dir, long bytes, int maxSpares) {
        this.fs = fs;
        this.file = dir.resolve(FILE_NAME);
        this.dir = dir;
        this.bytes = bytes;
        this.maxSpares = maxSpares;
    }

    /** Whether {@code file} is named as a spare: recovery deletes such files (FORMAT.md §6 step 1). */
    public static boolean isSpare(Path file) {
        return file.getFileName().toString().startsWith(SPARE_PREFIX);
    }

    /**
     * Keeps {@code segment}, a segment the log no longer needs, as a spare for a later roll by renaming
     * it; returns false, having done nothing, when enough spares are kept already. Called on the writer
     * thread, which makes the rename durable as it would a deletion (FORMAT.md §7 step 4).
     *
     * @throws IOException when the rename fails; the segment is then where it was
     */
    public boolean offer(Path segment) throws IOException {
        synchronized (lock) {
            if (closed || spares.size() >= maxSpares) {
                return false;
            }
            Path spare = dir.resolve(SPARE_PREFIX + nextSpareName);
            fs.rename(segment, spare);
            nextSpareName++;
            spares.add(spare);
            return true;
        }
    }

    /** Starts preparing a file unless a spare or a prepared file is ready, or one is being prepared. */
    public void request() {
        synchronized (lock) {
            if (closed || failed || ready || preparing != null || !spares.isEmpty()) {
                return;
            }
            preparing = new Thread(this::prepare, "raftkit-wal-preparer-" + file.getParent().getFileName());
            preparing.setDaemon(true);
            preparing.start();
        }
    }

    /** A file ready to become the next segment: a spare ({@code recycled}) or a zero-filled file. */
    public record Ready(Path file, boolean recycled) {}

    /** A spare, or else the prepared file, now the caller's to rename; null when neither is ready. */
    public Ready take() {
        synchronized (lock) {
            Path spare = spares.poll();
            if (spare != null) {
                return new Ready(spare, true);
            }
            if (!ready) {
                return null;
            }
            ready = false;
            return new Ready(file, false);
        }
    }

    /** Whether a zero-filled prepared file is waiting to be taken. */
    public boolean isReady() {
        synchronized (lock) {
            return ready;
        }
    }

    /**
     * Waits up to {@code nanos} until a prepared file is waiting to be taken; returns false when the time
     * ran out or preparing failed or stopped first. For tests and benchmarks, which cannot otherwise
     * tell when the file is complete and forced.
     */
    public boolean awaitReady(long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        synchronized (lock) {
            while (!ready && !failed && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return ready;
        }
    }

    /** Stops any preparing, waits for it, and deletes the files nobody took. */
    public void close() {
        closed = true;
        Thread t;
        synchronized (lock) {
            t = preparing;
        }
        if (t != null) {
            boolean interrupted = false;
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (lock) {
            if (ready) {
                ready = false;
                deleteQuietly(file);
            }
            for (Path spare : spares) {
                deleteQuietly(spare);
            }
            spares.clear();
        }
    }

    private void prepare() {
        boolean done = false;
        try (StorageFile f = fs.open(file, true)) {
            f.truncate(0);
            long at = 0;
            while (at < bytes && !closed) {
                at = SegmentWriter.writeZeros(f, at, bytes);
            }
            if (at == bytes) {
                // One fsync for the whole file. Forcing every 4 MiB instead put those fsyncs in the way of
                // the writer's: its p99 at 256 appenders of 100 B rose to 2.8-3.6 ms from 1.1-1.7 ms (1 MiB:
                // 1.8-2.0 ms), for no change in throughput.
                f.force();
                done = true;
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("preparing the next segment file {} failed; segments will be created as they are needed: {}",
                    file, e.toString());
            synchronized (lock) {
                failed = true;
            }
        }
        synchronized (lock) {
            if (!done) {
                deleteQuietly(file);
            }
            ready = done;
            preparing = null;
            lock.notifyAll();
        }
    }

    private void deleteQuietly(Path file) {
        try {
            fs.delete(file);
        } catch (IOException e) {
            LOG.warn("could not delete {} (recovery deletes it on the next open): {}", file, e.toString());
        }
    }
}
