package io.raftkit.storage;

import io.raftkit.core.SnapshotMeta;
import io.raftkit.storage.fs.FileSystem;
import io.raftkit.storage.fs.StorageFile;
import io.raftkit.storage.segment.SegmentFile;
import io.raftkit.storage.segment.SegmentFiles;
import io.raftkit.storage.segment.SegmentPreparer;
import io.raftkit.storage.segment.SegmentScanner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The open procedure of FORMAT.md ("Recovery"), step by step: read the boundary and hard state, scan
 * every segment, cut a torn tail, check that the segments form one unbroken sequence, and apply the
 * boundary. It either returns a consistent log or throws naming the file and byte offset at fault.
 */
final class LogRecovery {

    /** What recovery found. Segments are in log order; the last one, if any, is where appends go. */
    record Recovered(SnapshotMeta boundary, HardStateFile hardState, List<LogSegment> segments, RecordIndex index,
            long nextSegmentId) {}

    private final Path dir;
    private final FileSystem fs;
    private final SegmentedLogOptions options;
    private final boolean durable;

    private LogRecovery(Path dir, SegmentedLogOptions options) {
        this.dir = dir;
        this.fs = options.fileSystem();
        this.options = options;
        this.durable = options.syncPolicy() == SyncPolicy.DURABLE;
    }

    static Recovered recover(Path dir, SegmentedLogOptions options) throws IOException {
        return new LogRecovery(dir, options).run();
    }

    private Recovered run() throws IOException {
        // Step 1: the directory, and leftovers of interrupted boundary saves, segment preparation and spares.
        fs.createDirectories(dir);
        fs.delete(dir.resolve(BoundaryFile.TEMP_NAME));
        fs.delete(dir.resolve(SegmentPreparer.FILE_NAME));
        for (Path file : fs.list(dir)) {
            if (SegmentPreparer.isSpare(file)) {
                fs.delete(file);
            }
        }
        // Step 2: boundary and hard state.
        SnapshotMeta boundary = new BoundaryFile(fs, dir, durable).read();
        HardStateFile hardState = HardStateFile.open(fs, dir, durable);
        try {
            List<SegmentFile> files = SegmentFiles.list(fs, dir);
            long nextId = 1;
            for (SegmentFile f : files) {
                nextId = Math.max(nextId, f.segmentId() + 1);
            }
            // Step 3: scan every segment, in order; only the last may have a torn tail.
            RecordIndex index = new RecordIndex(files.isEmpty() ? boundary.index() + 1 : files.get(0).firstIndex());
            List<LogSegment> segments = new ArrayList<>();
            SegmentFile previous = null;
            for (int i = 0; i < files.size(); i++) {
                SegmentFile f = files.get(i);
                checkFollows(previous, f, index);
                boolean last = i == files.size() - 1;
                LogSegment s = scan(f, last, index);
                if (s != null) {
                    segments.add(s);
                }
                previous = f;
            }
            // Step 4: apply the boundary.
            applyBoundary(boundary, segments, index);
            return new Recovered(boundary, hardState, segments, index, nextId);
        } catch (IOException | RuntimeException e) {
            hardState.close();
            throw e;
        }
    }

    private void checkFollows(SegmentFile previous, SegmentFile f, RecordIndex index) throws CorruptLogException {
        if (previous == null) {
            return;
        }
        if (f.segmentId() <= previous.segmentId()) {
            throw new CorruptLogException(f.path(), 0, "segment id " + f.segmentId() + " does not grow after "
                    + previous + " (id " + previous.segmentId() + ")");
        }
        if (f.firstIndex() != index.lastIndex() + 1) {
            throw new CorruptLogException(f.path(), 0, "segment starts at index " + f.firstIndex() + " but " + previous
                    + " ends at index " + index.lastIndex() + " (a segment is missing or out of sequence)");
        }
    }

    /**
     * Scans one segment into the index; returns null when it was a torn, never-acknowledged new segment.
     * Records are checked against the format's hard size limit, not the configured one: lowering the
     * option must never turn stored entries into "damage".
     */
    private LogSegment scan(SegmentFile f, boolean last, RecordIndex index) throws IOException {
        SegmentScanner.Result r;
        try (StorageFile file = fs.openReadOnly(f.path())) {
            r = SegmentScanner.scan(file, f, last, SegmentedLogOptions.MAX_RECORD_BYTES_LIMIT,
                    (offset, term, idx, type, payload) -> index.add(term, offset));
        }
        if (r.header() == null) {
            // Step 3a: the segment's own header never made it to disk (it is missing, all zeros, torn, or an
            // earlier segment's in a recycled file), and no record of its own follows: none was acknowledged.
            fs.delete(f.path());
            if (durable) {
                fs.syncDirectory(dir);
            }
            return null;
        }
        if (r.torn() && last) {
            // Step 3b: a write that was never acknowledged, or preallocated zeros after the last record; cut
            // it off durably before anything follows it. (A sealed segment can only have the zeros, which
            // are left alone: its end is known from its records.)
            try (StorageFile file = fs.open(f.path(), false)) {
                file.truncate(r.validBytes());
                if (durable) {
                    file.force();
                }
            }
        }
        return new LogSegment(f, r.validBytes());
    }

    private void applyBoundary(SnapshotMeta boundary, List<LogSegment> segments, RecordIndex index) throws IOException {
        long b = boundary.index();
        if (segments.isEmpty()) {
            index.reset(b + 1);
            return;
        }
        LogSegment first = segments.get(0);
        long f = first.firstIndex();
        if (f == b + 1) {
            return;
        }
        if (f > b + 1) {
            throw new CorruptLogException(first.file.path(), 0, "log starts at index " + f + " but the compaction boundary "
                    + (b == 0 ? "is empty, so it must start at 1" : "is at index " + b + ", so it must start at " + (b + 1))
                    + " (a segment is missing)");
        }
        boolean keepsSuffix = index.lastIndex() >= b && index.term(b) == boundary.term();
        List<LogSegment> doomed = new ArrayList<>();
        if (keepsSuffix) {
            // Step 4b: a compaction that kept the suffix; finish deleting sealed segments wholly below it.
            for (int i = 0; i < segments.size() - 1; i++) {
                if (segments.get(i + 1).firstIndex() - 1 <= b) {
                    doomed.add(segments.get(i));
                }
            }
            index.dropThrough(b);
        } else {
            // Step 4c: a compaction that discarded the whole log was interrupted; finish it.
            doomed.addAll(segments);
            index.reset(b + 1);
        }
        for (LogSegment s : doomed) {
            fs.delete(s.file.path());
            if (durable) {
                fs.syncDirectory(dir); // one at a time, in order, so no gap can reach the disk
            }
        }
        segments.removeAll(doomed);
    }
}
