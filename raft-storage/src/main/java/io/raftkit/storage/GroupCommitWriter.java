package io.raftkit.storage;

import io.raftkit.core.Entry;
import io.raftkit.core.HardState;
import io.raftkit.storage.fs.FileSystem;
import io.raftkit.storage.segment.SegmentFile;
import io.raftkit.storage.segment.SegmentPreparer;
import io.raftkit.storage.segment.SegmentWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The log's single writer thread. It takes everything queued since its last round as one batch, writes
 * it, forces each touched file once, and only then completes the batch's futures, in order.
 *
 * <p>Ordering across files: segment data and the hard state live in different files, so whenever the
 * batch switches from one to the other the pending one is forced first. A crash therefore always
 * leaves a prefix of the submitted writes.
 *
 * <p>The first I/O error fails the whole current batch (none of it is known durable) and every later
 * write; the files are not touched again. Retrying a failed fsync would report as durable pages the
 * kernel may already have dropped.
 */
final class GroupCommitWriter {

    /** Upper bound on the wait for a batch to fill (see {@link #take}), whatever an fsync costs. */
    static final long MAX_LINGER_NANOS = 500_000;

    private final Path dir;
    private final FileSystem fs;
    private final boolean durable;
    private final HardStateFile hardStateFile;
    private final BoundaryFile boundaryFile;
    private final ByteBuffer buffer;
    private final SegmentWriter.Preallocation preallocation;
    /** Prepares the next segment file ahead; null when segments are not preallocated or not forced. */
    private final SegmentPreparer preparer;
    private final Thread thread;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition queued = lock.newCondition();
    private ArrayDeque<WriteOp> queue = new ArrayDeque<>();
    private ArrayDeque<WriteOp> spare = new ArrayDeque<>();
    /** Queue length at which {@link #submit} wakes the writer: 1, or more while it lingers. Guarded by lock. */
    private int wakeAt = 1;

    private volatile long writtenOps;
    private volatile IOException failure;

    // Writer-thread state.
    private SegmentWriter active;
    private boolean segmentDirty;
    private boolean segmentCreated;
    private boolean preparationRequested;
    private HardState pendingHardState;
    private long submitted;
    private int lastBatchOps;
    private long lastSyncNanos;

    GroupCommitWriter(Path dir, FileSystem fs, boolean durable, HardStateFile hardStateFile, BoundaryFile boundaryFile,
            SegmentWriter active, ByteBuffer buffer, SegmentWriter.Preallocation preallocation, SegmentPreparer preparer) {
        this.dir = dir;
        this.fs = fs;
        this.durable = durable;
        this.hardStateFile = hardStateFile;
        this.boundaryFile = boundaryFile;
        this.active = active;
        this.buffer = buffer;
        this.preallocation = preallocation;
        this.preparer = preparer;
        this.thread = new Thread(this::run, "raftkit-wal-writer-" + dir.getFileName());
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Queues a write; returns its sequence number (1, 2, ...). */
    long submit(WriteOp op) {
        lock.lock();
        try {
            queue.add(op);
            if (queue.size() >= wakeAt) {
                queued.signal();
            }
            return ++submitted;
        } finally {
            lock.unlock();
        }
    }

    /** Sequence number of the last write whose bytes are in its file (so readable from there). */
    long writtenOps() {
        return writtenOps;
    }

    /** The error that failed the log, or null. */
    IOException failure() {
        return failure;
    }

    /** Stops after the writes queued so far and waits for the thread. */
    void close() {
        submit(new WriteOp.Close(new java.util.concurrent.CompletableFuture<>()));
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        long done = 0;
        boolean stop = false;
        while (!stop) {
            ArrayDeque<WriteOp> batch = take(lastBatchOps);
            lastBatchOps = batch.size();
            long syncStart = System.nanoTime();
            for (WriteOp op : batch) {
                if (op instanceof WriteOp.Close) {
                    stop = true;
                } else if (failure == null) {
                    try {
                        apply(op);
                    } catch (IOException | RuntimeException e) {
                        fail(e);
                    }
                }
            }
            if (failure == null) {
                try {
                    flushPending();
                } catch (IOException | RuntimeException e) {
                    fail(e);
                }
            }
            lastSyncNanos = System.nanoTime() - syncStart;
            done += batch.size();
            if (failure == null) {
                writtenOps = done;
                for (WriteOp op : batch) {
                    op.future().complete(null);
                }
            } else {
                for (WriteOp op : batch) {
                    op.future().completeExceptionally(failure);
                }
            }
            batch.clear();
            spare = batch; // only this thread swaps the two queues, so no lock is needed here
        }
        closeFiles();
    }

    /**
     * Waits for queued writes and takes them all. When the previous batch held {@code expected} > 1
     * writes, the writers are concurrent and most of them resubmit as soon as their writes complete; so
     * this lingers, for at most half an fsync, until as many are queued again. Without it a closed loop
     * of N appenders splits into two groups that take turns, each fsync carrying about N/2 (one group
     * resubmits while the other's fsync runs), which halves throughput against the disk's ability. A lone
     * appender ({@code expected} <= 1) never waits, so its latency is untouched.
     */
    private ArrayDeque<WriteOp> take(int expected) {
        lock.lock();
        try {
            while (queue.isEmpty()) {
                queued.awaitUninterruptibly();
            }
            if (durable && expected > 1 && queue.size() < expected) {
                long remaining = Math.min(lastSyncNanos / 2, MAX_LINGER_NANOS);
                wakeAt = expected;
                while (queue.size() < expected && remaining > 0) {
                    try {
                        remaining = queued.awaitNanos(remaining);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
                wakeAt = 1;
            }
            ArrayDeque<WriteOp> taken = queue;
            queue = spare;
            return taken;
        } finally {
            lock.unlock();
        }
    }

    private void fail(Throwable e) {
        if (failure == null) {
            failure = e instanceof IOException io ? io : new IOException("log writer failed in " + dir + ": " + e, e);
        }
    }

    private void apply(WriteOp op) throws IOException {
        if (op instanceof WriteOp.Append a) {
            append(a);
        } else if (op instanceof WriteOp.SaveHardState h) {
            if (segmentDirty) {
                syncSegment();
            }
            pendingHardState = h.state();
        } else if (op instanceof WriteOp.Truncate t) {
            flushPending();
            truncate(t);
        } else if (op instanceof WriteOp.Compact c) {
            flushPending();
            compact(c);
        }
    }

    private void append(WriteOp.Append a) throws IOException {
        if (pendingHardState != null) {
            writeHardState();
        }
        List<SegmentFile> next = a.newSegments();
        int n = 0;
        for (Entry e : a.entries()) {
            if (n < next.size() && next.get(n).firstIndex() == e.index()) {
                roll(next.get(n++));
            }
            active.append(e);
        }
        segmentDirty = true;
        if (preparer != null && !preparationRequested && active.size() >= preallocation.limitBytes() / 8) {
            preparer.request();
            preparationRequested = true;
        }
    }

    /** Seals the current segment (durably, before its successor exists) and starts {@code next}. */
    private void roll(SegmentFile next) throws IOException {
        if (active != null) {
            active.seal(durable);
            active.close();
        }
        active = null;
        SegmentPreparer.Ready ready = preparer == null ? null : preparer.take();
        active = ready != null ? SegmentWriter.adopt(fs, ready.file(), next, buffer, preallocation, ready.recycled())
                : SegmentWriter.create(fs, next, buffer, preallocation);
        preparationRequested = false;
        segmentCreated = true;
        segmentDirty = true;
    }

    private void truncate(WriteOp.Truncate t) throws IOException {
        if (active != null && !active.segment().equals(t.target())) {
            active.close();
            active = null;
        }
        for (SegmentFile f : t.deleted()) {
            delete(f);
        }
        if (active == null) {
            active = SegmentWriter.reopen(fs, t.target(), t.size(), buffer, preallocation);
        } else {
            active.truncate(t.size());
        }
        if (durable) {
            active.force();
        }
    }

    private void compact(WriteOp.Compact c) throws IOException {
        boundaryFile.write(c.boundary());
        if (c.discardAll() && active != null) {
            active.close();
            active = null;
        }
        for (SegmentFile f : c.deleted()) {
            recycleOrDelete(f);
        }
    }

    /**
     * Keeps a segment compaction no longer needs as a spare for a later roll when the preparer wants one
     * (it overwrites in place instead of zero-filling a new file), and deletes it otherwise; either way
     * durably before the next, as {@link #delete} explains.
     */
    private void recycleOrDelete(SegmentFile f) throws IOException {
        boolean kept;
        try {
            kept = preparer != null && preparer.offer(f.path());
        } catch (IOException e) {
            throw new IOException("keeping " + f.path() + " as a spare segment failed: " + e, e);
        }
        if (!kept) {
            delete(f);
        } else if (durable) {
            syncDirectory();
        }
    }

    private void flushPending() throws IOException {
        if (segmentDirty) {
            syncSegment();
        }
        if (pendingHardState != null) {
            writeHardState();
        }
    }

    private void syncSegment() throws IOException {
        if (durable) {
            active.force();
            if (segmentCreated) {
                syncDirectory();
            }
        } else {
            active.flush();
        }
        segmentCreated = false;
        segmentDirty = false;
    }

    private void writeHardState() throws IOException {
        hardStateFile.write(pendingHardState);
        pendingHardState = null;
    }

    /**
     * Deletes one segment and, under the durable policy, makes that durable before anything else
     * happens: deletions that reached the disk out of order could leave a gap in the sequence, which
     * recovery would rightly call corruption.
     */
    private void delete(SegmentFile f) throws IOException {
        try {
            fs.delete(f.path());
        } catch (IOException e) {
            throw new IOException("deleting " + f.path() + " failed: " + e, e);
        }
        if (durable) {
            syncDirectory();
        }
    }

    private void syncDirectory() throws IOException {
        try {
            fs.syncDirectory(dir);
        } catch (IOException e) {
            throw new IOException("fsync of directory " + dir + " failed: " + e, e);
        }
    }

    private void closeFiles() {
        if (preparer != null) {
            preparer.close();
        }
        try {
            if (active != null) {
                active.close();
            }
            hardStateFile.close();
        } catch (IOException e) {
            fail(e);
        }
    }
}
