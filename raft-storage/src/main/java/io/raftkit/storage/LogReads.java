package io.raftkit.storage;

import io.raftkit.core.Entry;
import io.raftkit.storage.segment.SegmentFormat;
import java.io.IOException;
import java.util.List;

/**
 * Serves {@link SegmentedLog#entries}: from the cache at and above its first index, otherwise by one
 * positional read per segment span, sized from the in-memory offsets so the byte limit is applied
 * before anything is read.
 */
final class LogReads {

    private final SegmentedLog log;
    private final RecordIndex index;
    private final EntryCache cache;

    LogReads(SegmentedLog log) {
        this.log = log;
        this.index = log.recordIndex();
        this.cache = log.cache();
    }

    /** Adds entries of {@code [from, to)} to {@code out}, stopping at the byte limit but after at least one. */
    void read(long from, long to, long maxBytes, List<Entry> out) throws IOException {
        long bytes = 0;
        long i = from;
        while (i < to) {
            if (i >= cache.firstIndex()) {
                Entry e = cache.get(i);
                if (!out.isEmpty() && bytes + e.sizeBytes() > maxBytes) {
                    return;
                }
                bytes += e.sizeBytes();
                out.add(e);
                i++;
                continue;
            }
            LogSegment seg = log.segmentOf(i);
            long spanEnd = Math.min(Math.min(to, cache.firstIndex()), log.endIndexOf(seg));
            long j = i;
            boolean full = false;
            while (j < spanEnd) {
                long recordEnd = j + 1 < log.endIndexOf(seg) ? index.offset(j + 1) : seg.endOffset;
                long size = recordEnd - index.offset(j) - SegmentFormat.RECORD_HEADER_BYTES + Entry.OVERHEAD_BYTES;
                if ((!out.isEmpty() || j > i) && bytes + size > maxBytes) {
                    full = true;
                    break;
                }
                bytes += size;
                j++;
            }
            long start = index.offset(i);
            long end = j < log.endIndexOf(seg) ? index.offset(j) : seg.endOffset;
            seg.reader(log.fileSystem()).read(start, end, i, (int) (j - i), out);
            if (full) {
                return;
            }
            i = j;
        }
    }
}
