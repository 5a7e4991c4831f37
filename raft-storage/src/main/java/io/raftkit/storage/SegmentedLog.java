package io.raftkit.storage;

import io.raftkit.core.Entry;
import io.raftkit.core.HardState;
import io.raftkit.core.LogStorage;
import io.raftkit.core.SnapshotMeta;
import io.raftkit.storage.fs.FileSystem;
import io.raftkit.storage.segment.SegmentFile;
import io.raftkit.storage.segment.SegmentFiles;
import io.raftkit.storage.segment.SegmentFormat;
import io.raftkit.storage.segment.SegmentPreparer;
import io.raftkit.storage.segment.SegmentWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * The default durable {@link LogStorage}: entries in segment files, the hard state in a two-slot file
 * and the compaction boundary in a small file, all in one directory (layout in FORMAT.md).
 *
 * <p>The calling thread decides, at once, where each entry will live (segment and byte offset) and
 * keeps the entry in memory; one writer thread then writes queued work in batches with one fsync per
 * batch (group commit). Reads come from memory for recent and not-yet-written entries and otherwise
 * from a single positional read located by an in-memory index, never a file scan.
 *
 * <p>Methods are synchronized, so several threads may append as long as they agree on indexes; Raft
 * calls them from its one event-loop thread.
 */
public final class SegmentedLog implements LogStorage {

    /** Held while the log is open, so that two processes never write one directory. */
    static final String LOCK_FILE = "lock";

    private final Path dir;
    private final SegmentedLogOptions options;
    private final FileSystem fs;
    private final TreeMap<Long, LogSegment> segments = new TreeMap<>();
    private final RecordIndex index;
    private final EntryCache cache;
    private final GroupCommitWriter writer;
    private final java.io.Closeable directoryLock;
    private SnapshotMeta boundary;
    private HardState hardState;
    private long nextSegmentId;
    private long submitted;
    private boolean closed;
    private final SegmentPreparer preparer;

    private SegmentedLog(Path dir, SegmentedLogOptions options, LogRecovery.Recovered r, java.io.Closeable directoryLock)
            throws IOException {
        this.dir = dir;
        this.directoryLock = directoryLock;
        this.options = options;
        this.fs = options.fileSystem();
        this.boundary = r.boundary();
        this.hardState = r.hardState().current();
        this.index = r.index();
        this.cache = new EntryCache(index.lastIndex() + 1);
        this.nextSegmentId = r.nextSegmentId();
        for (LogSegment s : r.segments()) {
            segments.put(s.firstIndex(), s);
        }
        ByteBuffer buffer = ByteBuffer.allocateDirect(options.writeBufferBytes());
        SegmentWriter.Preallocation preallocation =
                new SegmentWriter.Preallocation(options.preallocationBytes(), options.segmentBytes());
        LogSegment last = active();
        SegmentWriter activeWriter;
        try {
            activeWriter = last == null ? null
                    : SegmentWriter.reopen(fs, last.file, last.endOffset, buffer, preallocation);
        } catch (IOException e) {
            r.hardState().close();
            throw e;
        }
        boolean durable = options.syncPolicy() == SyncPolicy.DURABLE;
        this.preparer = durable && options.preallocationBytes() > 0
                ? new SegmentPreparer(fs, dir, options.segmentBytes(),
                        (int) Math.min(Integer.MAX_VALUE, options.spareBytes() / options.segmentBytes())) : null;
        this.writer = new GroupCommitWriter(dir, fs, durable, r.hardState(), new BoundaryFile(fs, dir, durable),
                activeWriter, buffer, preallocation, preparer);
        writer.start();
    }

    /**
     * Opens the log in {@code dir}, creating it if missing, and recovers it (FORMAT.md, "Recovery").
     *
     * @throws CorruptLogException naming the file and byte offset when the files are damaged in a way an
     *     interrupted write cannot explain
     * @throws IOException when the files cannot be read, or the directory is open elsewhere
     */
    public static SegmentedLog open(Path dir, SegmentedLogOptions options) throws IOException {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(options, "options");
        FileSystem fs = options.fileSystem();
        fs.createDirectories(dir);
        java.io.Closeable lock = fs.lock(dir.resolve(LOCK_FILE));
        try {
            return new SegmentedLog(dir, options, LogRecovery.recover(dir, options), lock);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** The directory holding the log. */
    public Path directory() {
        return dir;
    }

    @Override
    public synchronized long firstIndex() {
        return boundary.index() + 1;
    }

    @Override
    public synchronized long lastIndex() {
        return index.lastIndex();
    }

    @Override
    public synchronized long term(long i) {
        if (i == boundary.index()) {
            return boundary.term();
        }
        if (!index.contains(i)) {
            throw new IndexOutOfBoundsException("term of index " + i + " outside [" + boundary.index() + ", "
                    + index.lastIndex() + "]");
        }
        return index.term(i);
    }

    /**
     * {@inheritDoc}
     *
     * @throws java.io.UncheckedIOException when a record must be read from its segment and the read
     *     fails or the record fails its checksum (a {@link CorruptLogException} naming file and offset)
     */
    @Override
    public synchronized List<Entry> entries(long fromIndex, long toIndexExclusive, long maxBytes) {
        long first = firstIndex();
        long end = index.lastIndex() + 1;
        if (fromIndex > toIndexExclusive || fromIndex < first || toIndexExclusive > end) {
            throw new IndexOutOfBoundsException("entries [" + fromIndex + ", " + toIndexExclusive + ") outside ["
                    + first + ", " + end + "]");
        }
        List<Entry> out = new ArrayList<>();
        try {
            new LogReads(this).read(fromIndex, toIndexExclusive, maxBytes, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        cache.evict(writer.writtenOps(), options.cacheBytes());
        return out;
    }

    @Override
    public synchronized HardState hardState() {
        return hardState;
    }

    @Override
    public synchronized SnapshotMeta snapshotMeta() {
        return boundary;
    }

    @Override
    public synchronized CompletableFuture<Void> append(List<Entry> entries) {
        CompletableFuture<Void> refused = refusal();
        if (refused != null) {
            return refused;
        }
        if (entries.isEmpty()) {
            return barrier();
        }
        long from = entries.get(0).index();
        if (from < firstIndex() || from > index.lastIndex() + 1) {
            throw new IllegalArgumentException("append at index " + from + " outside [" + firstIndex() + ", "
                    + (index.lastIndex() + 1) + "]");
        }
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (e.index() != from + i) {
                throw new IllegalArgumentException("appended entries are not consecutive at " + e);
            }
            if (e.data().length > options.maxRecordBytes()) {
                throw new IllegalArgumentException(e + " is larger than the maximum record size "
                        + options.maxRecordBytes());
            }
        }
        if (from <= index.lastIndex()) {
            submit(planTruncation(from, new CompletableFuture<>()));
        }
        long seq = submitted + 1;
        List<SegmentFile> newSegments = List.of();
        LogSegment act = active();
        for (Entry e : entries) {
            if (act == null || (act.endOffset > SegmentFormat.HEADER_BYTES && act.endOffset >= options.segmentBytes())) {
                act = new LogSegment(SegmentFiles.of(dir, e.index(), nextSegmentId++), SegmentFormat.HEADER_BYTES);
                segments.put(act.firstIndex(), act);
                if (newSegments.isEmpty()) {
                    newSegments = new ArrayList<>(2);
                }
                newSegments.add(act.file);
            }
            index.add(e.term(), act.endOffset);
            act.endOffset += SegmentFormat.recordBytes(e.data().length);
            cache.add(e, seq);
        }
        CompletableFuture<Void> f = new CompletableFuture<>();
        submit(new WriteOp.Append(entries, newSegments, f));
        cache.evict(writer.writtenOps(), options.cacheBytes());
        return f;
    }

    @Override
    public synchronized CompletableFuture<Void> truncateSuffix(long fromIndex) {
        CompletableFuture<Void> refused = refusal();
        if (refused != null) {
            return refused;
        }
        if (fromIndex < firstIndex() || fromIndex > index.lastIndex() + 1) {
            throw new IllegalArgumentException("truncate from " + fromIndex + " outside [" + firstIndex() + ", "
                    + (index.lastIndex() + 1) + "]");
        }
        if (fromIndex == index.lastIndex() + 1) {
            return barrier();
        }
        CompletableFuture<Void> f = new CompletableFuture<>();
        submit(planTruncation(fromIndex, f));
        return f;
    }

    /** Updates the in-memory view for dropping {@code from..last} and describes the file work. */
    private WriteOp.Truncate planTruncation(long from, CompletableFuture<Void> f) {
        LogSegment target = segments.floorEntry(from).getValue();
        long offset = index.offset(from);
        List<SegmentFile> deleted = new ArrayList<>();
        Map<Long, LogSegment> later = segments.tailMap(target.firstIndex(), false).descendingMap();
        for (LogSegment s : later.values()) {
            deleted.add(s.file);
            s.closeReader();
        }
        later.clear();
        target.endOffset = offset;
        index.truncateFrom(from);
        cache.truncateFrom(from);
        return new WriteOp.Truncate(target.file, offset, deleted, f);
    }

    @Override
    public synchronized CompletableFuture<Void> compact(SnapshotMeta snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        CompletableFuture<Void> refused = refusal();
        if (refused != null) {
            return refused;
        }
        if (snapshot.index() <= boundary.index()) {
            return barrier();
        }
        long b = snapshot.index();
        boolean keepsSuffix = b <= index.lastIndex() && index.term(b) == snapshot.term();
        List<SegmentFile> deleted = new ArrayList<>();
        if (keepsSuffix) {
            LogSegment act = active();
            for (Map.Entry<Long, LogSegment> e : segments.entrySet()) {
                Long nextFirst = segments.higherKey(e.getKey());
                if (e.getValue() != act && nextFirst != null && nextFirst - 1 <= b) {
                    deleted.add(e.getValue().file);
                }
            }
            index.dropThrough(b);
            cache.dropThrough(b);
        } else {
            for (LogSegment s : segments.values()) {
                deleted.add(s.file);
            }
            index.reset(b + 1);
            cache.clear(b + 1);
        }
        for (SegmentFile d : deleted) {
            segments.remove(d.firstIndex()).closeReader();
        }
        boundary = snapshot;
        CompletableFuture<Void> f = new CompletableFuture<>();
        submit(new WriteOp.Compact(snapshot, deleted, !keepsSuffix, f));
        return f;
    }

    @Override
    public synchronized CompletableFuture<Void> saveHardState(HardState state) {
        Objects.requireNonNull(state, "state");
        CompletableFuture<Void> refused = refusal();
        if (refused != null) {
            return refused;
        }
        HardStateFile.check(state);
        hardState = state;
        CompletableFuture<Void> f = new CompletableFuture<>();
        submit(new WriteOp.SaveHardState(state, f));
        return f;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        writer.close();
        for (LogSegment s : segments.values()) {
            s.closeReader();
        }
        try {
            directoryLock.close();
        } catch (IOException ignored) {
            // Releasing a lock cannot lose data; the process exit releases it anyway.
        }
    }

    /** Whether the next segment's file is prepared and waiting (tests). */
    boolean nextSegmentPrepared() {
        return preparer != null && preparer.isReady();
    }

    /** Waits up to {@code nanos} for the next segment's file to be prepared (tests and benchmarks). */
    boolean awaitNextSegmentPrepared(long nanos) throws InterruptedException {
        return preparer != null && preparer.awaitReady(nanos);
    }

    // ---- package-private view for LogReads ----

    FileSystem fileSystem() {
        return fs;
    }

    RecordIndex recordIndex() {
        return index;
    }

    EntryCache cache() {
        return cache;
    }

    /** The segment holding index {@code i}. */
    LogSegment segmentOf(long i) {
        return segments.floorEntry(i).getValue();
    }

    /** First index of the segment after {@code s}, or {@code lastIndex + 1} when {@code s} is the last. */
    long endIndexOf(LogSegment s) {
        Long next = segments.higherKey(s.firstIndex());
        return next == null ? index.lastIndex() + 1 : next;
    }

    private LogSegment active() {
        return segments.isEmpty() ? null : segments.get(segments.lastKey());
    }

    private CompletableFuture<Void> barrier() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        submit(new WriteOp.Barrier(f));
        return f;
    }

    private void submit(WriteOp op) {
        submitted = writer.submit(op);
    }

    /** A failed future when the log may not be written, else null. */
    private CompletableFuture<Void> refusal() {
        if (closed) {
            throw new IllegalStateException("segmented log in " + dir + " is closed");
        }
        IOException failure = writer.failure();
        if (failure == null) {
            return null;
        }
        return CompletableFuture.failedFuture(new IOException("log in " + dir
                + " failed earlier and refuses writes until reopened; first failure: " + failure.getMessage(), failure));
    }
}
