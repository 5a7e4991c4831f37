package io.raftkit.storage;

import io.raftkit.core.Entry;
import io.raftkit.storage.fs.FileSystem;
import io.raftkit.storage.segment.SegmentFile;
import io.raftkit.storage.segment.SegmentFiles;
import io.raftkit.storage.segment.SegmentFormat;
import io.raftkit.storage.segment.SegmentPreparer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Brings a new log to the state a long-running one is in: past its first segment and appending into a
 * prepared one ({@link SegmentPreparer}). A new log's first segment is the only one that is always
 * zero-filled step by step on the write path; a benchmark of a few seconds would otherwise measure
 * only that segment. The fill uses large batches, then waits for the prepared file before rolling into
 * it, so that the measured appends start at the beginning of a prepared segment. In this package
 * because it waits through the log's package-private {@link SegmentedLog#awaitNextSegmentPrepared}.
 */
public final class FirstSegmentFill {

    private FirstSegmentFill() {}

    /**
     * Fills {@code log} (in {@code dir}, with segments of {@code segmentBytes}) with entries of
     * {@code payload} bytes until it rolls into its second segment. Returns true when that segment is a
     * prepared one (its file already holds {@code segmentBytes}), false when it had to be created.
     */
    public static boolean run(SegmentedLog log, Path dir, int payload, long segmentBytes) throws Exception {
        long recordBytes = payload + SegmentFormat.RECORD_HEADER_BYTES;
        byte[] data = new byte[payload];
        // Past an eighth of the segment the writer asks for the next file.
        appendUntil(log, data, segmentBytes / 8 / recordBytes + 1024);
        log.awaitNextSegmentPrepared(TimeUnit.SECONDS.toNanos(30));
        appendUntil(log, data, segmentBytes / recordBytes + 1024);
        List<SegmentFile> segments = SegmentFiles.list(FileSystem.nio(), dir);
        SegmentFile newest = segments.get(segments.size() - 1);
        return segments.size() >= 2 && Files.size(newest.path()) == segmentBytes;
    }

    private static void appendUntil(SegmentedLog log, byte[] data, long lastIndex) throws IOException {
        while (log.lastIndex() < lastIndex) {
            long next = log.lastIndex() + 1;
            List<Entry> batch = new ArrayList<>(1024);
            for (int i = 0; i < 1024; i++) {
                batch.add(Entry.command(1, next + i, data));
            }
            log.append(batch).join();
        }
    }
}
