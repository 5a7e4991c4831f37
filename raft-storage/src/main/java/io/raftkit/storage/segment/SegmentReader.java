package io.raftkit.storage.segment;

import io.raftkit.core.Entry;
import io.raftkit.core.EntryType;
import io.raftkit.storage.CorruptLogException;
import io.raftkit.storage.fs.FileSystem;
import io.raftkit.storage.fs.StorageFile;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * Reads records at known positions of a segment: the log keeps every record's offset in memory, so a
 * read is one positional read of a contiguous span, checked record by record.
 */
public final class SegmentReader implements Closeable {

    private final SegmentFile segment;
    private final StorageFile file;
    /** Learned from the header at the first read: by then the header is on the file, as the records are. */
    private RecordChecksum checksum;

    private SegmentReader(SegmentFile segment, StorageFile file) {
        this.segment = segment;
        this.file = file;
    }

    public static SegmentReader open(FileSystem fs, SegmentFile segment) throws IOException {
        return new SegmentReader(segment, fs.openReadOnly(segment.path()));
    }

    /**
     * Reads the {@code count} consecutive records stored in {@code [from, to)}, the first of which must
     * hold {@code firstIndex}, and adds them to {@code out}.
     *
     * @throws CorruptLogException when a record does not check out
     */
    public void read(long from, long to, long firstIndex, int count, List<Entry> out) throws IOException {
        if (checksum == null) {
            checksum = RecordChecksum.of(readVersion(file, segment), segment.segmentId());
        }
        int span = Math.toIntExact(to - from);
        ByteBuffer buf = ByteBuffer.allocate(span);
        file.readFully(buf, from);
        byte[] bytes = buf.array();
        int at = 0;
        for (int k = 0; k < count; k++) {
            long offset = from + at;
            if (span - at < SegmentFormat.RECORD_HEADER_BYTES) {
                throw new CorruptLogException(segment.path(), offset, "record header cut short");
            }
            int len = buf.getInt(at);
            if (len < 0 || len > span - at - SegmentFormat.RECORD_HEADER_BYTES) {
                throw new CorruptLogException(segment.path(), offset, "record length " + Integer.toUnsignedString(len)
                        + " does not match the log's index of positions");
            }
            if (checksum.ofRecord(bytes, at, len) != buf.getInt(at + 4)) {
                throw new CorruptLogException(segment.path(), offset, "record checksum mismatch");
            }
            long term = buf.getLong(at + 8);
            long index = buf.getLong(at + 16);
            if (index != firstIndex + k) {
                throw new CorruptLogException(segment.path(), offset, "record holds index " + index + ", expected "
                        + (firstIndex + k));
            }
            EntryType type;
            try {
                type = EntryType.fromCode(bytes[at + 24]);
            } catch (IllegalArgumentException e) {
                throw new CorruptLogException(segment.path(), offset + 24, e.getMessage());
            }
            int payloadAt = at + SegmentFormat.RECORD_HEADER_BYTES;
            out.add(new Entry(term, index, type, Arrays.copyOfRange(bytes, payloadAt, payloadAt + len)));
            at = payloadAt + len;
        }
    }

    /**
     * The format version in the header of {@code segment}, open as {@code file}.
     *
     * @throws CorruptLogException on a bad magic or a version this build does not read
     */
    static int readVersion(StorageFile file, SegmentFile segment) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(SegmentFormat.HEADER_BYTES);
        file.readFully(header, 0);
        header.flip();
        return SegmentFormat.readVersion(header, segment.path());
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
