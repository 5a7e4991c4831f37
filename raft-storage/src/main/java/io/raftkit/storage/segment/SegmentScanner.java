package io.raftkit.storage.segment;

import io.raftkit.core.EntryType;
import io.raftkit.storage.CorruptLogException;
import io.raftkit.storage.fs.StorageFile;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Reads a whole segment front to back, checking every record, for recovery and for {@code waldump}.
 * It decides what FORMAT.md's recovery procedure calls a torn tail versus corruption.
 */
public final class SegmentScanner {

    private static final int CHUNK_BYTES = 1 << 20;
    private static final String ZERO_TAIL = "zero-filled space after the last record";
    private static final String RECYCLED_TAIL = "an earlier segment's records after the last record (a recycled file)";

    /** Receives each intact record in order. */
    public interface RecordVisitor {
        void record(long offset, long term, long index, int typeCode, int payloadBytes) throws IOException;
    }

    /**
     * What a scan found.
     *
     * @param header the segment header, or null when the header itself was torn (last segment only)
     * @param validBytes the length of the intact prefix: header plus whole, checked records
     * @param fileBytes the file's size
     * @param records number of intact records
     * @param tornReason why the bytes after {@code validBytes} were judged a torn write, or null if none
     */
    public record Result(SegmentHeader header, long validBytes, long fileBytes, long records, String tornReason) {

        /** True when the file holds bytes after its intact prefix that recovery cuts off. */
        public boolean torn() {
            return tornReason != null;
        }

        /**
         * True when everything after the intact prefix is zeros: the preallocated, never-written space
         * an active segment normally has, rather than the remains of an interrupted write.
         */
        public boolean zeroFilledTail() {
            return ZERO_TAIL.equals(tornReason);
        }

        /**
         * True when the file was recycled and what follows the intact prefix is not this segment's: the
         * normal end of an active segment in a recycled file, like {@link #zeroFilledTail()}.
         */
        public boolean recycledTail() {
            return RECYCLED_TAIL.equals(tornReason);
        }

        /** Index of the last intact record, or first index - 1 when there is none. */
        public long lastIndex() {
            return header == null ? -1 : header.firstIndex() + records - 1;
        }
    }

    private final StorageFile file;
    private final SegmentFile segment;
    private final boolean lastSegment;
    private final int maxRecordBytes;
    private RecordChecksum checksum;
    private byte[] chunk = new byte[0];
    private ByteBuffer chunkView = ByteBuffer.wrap(chunk);
    private long chunkStart;
    private int chunkLength;
    private long size;

    private SegmentScanner(StorageFile file, SegmentFile segment, boolean lastSegment, int maxRecordBytes) {
        this.file = file;
        this.segment = segment;
        this.lastSegment = lastSegment;
        this.maxRecordBytes = maxRecordBytes;
    }

    /**
     * Scans {@code file}. In the last segment of a log ({@code lastSegment}), damage that an interrupted
     * write can leave at the very end is reported as a torn tail; anywhere else it is corruption.
     *
     * @throws CorruptLogException naming the file and byte offset when the segment is corrupt
     */
    public static Result scan(StorageFile file, SegmentFile segment, boolean lastSegment, int maxRecordBytes,
            RecordVisitor visitor) throws IOException {
        return new SegmentScanner(file, segment, lastSegment, maxRecordBytes).run(visitor);
    }

    private Result run(RecordVisitor visitor) throws IOException {
        size = file.size();
        if (size < SegmentFormat.HEADER_BYTES) {
            return tornOrCorrupt(null, 0, 0, "file is shorter than the " + SegmentFormat.HEADER_BYTES + "-byte header");
        }
        load(0, SegmentFormat.HEADER_BYTES);
        if (zeros(0, SegmentFormat.HEADER_BYTES)) {
            return tornOrCorrupt(null, 0, 0, "segment header is all zeros");
        }
        SegmentHeader header = header();
        if (header == null) {
            return torn(null, 0, 0, "segment header never completely written (an earlier segment's, or torn)");
        }
        checksum = RecordChecksum.of(header.version(), segment.segmentId());
        long pos = SegmentFormat.HEADER_BYTES;
        long records = 0;
        while (pos < size) {
            long available = size - pos;
            if (available < SegmentFormat.RECORD_HEADER_BYTES) {
                return tornOrCorrupt(header, pos, records, "record header cut short (" + available + " bytes left)");
            }
            load(pos, SegmentFormat.RECORD_HEADER_BYTES);
            int at = (int) (pos - chunkStart);
            long length = Integer.toUnsignedLong(getInt(at));
            long lastIndex = header.firstIndex() + records - 1;
            if (zeros(at, SegmentFormat.RECORD_HEADER_BYTES)) {
                // An all-zero record header was never written (a real one holds an index >= 1).
                if (allZeroFrom(pos)) {
                    // Preallocated space; in a sealed segment too, where recovery's sequence check then
                    // proves that the next segment carries on from the last record here.
                    return torn(header, pos, records, ZERO_TAIL);
                }
                if (lastSegment) {
                    // What follows was written after these bytes; had any of it been acknowledged, the fsync
                    // covering it would have made these durable too. An interrupted write: cut as a tail.
                    return torn(header, pos, records,
                            "unwritten (all-zero) record header followed by the rest of an unacknowledged write");
                }
            }
            if (length > maxRecordBytes) {
                // An interrupted append leaves a cut-short or zeroed header, never an impossible length; but a
                // recycled file's earlier records, read out of step, can hold anything.
                return endOrCorrupt(header, pos, records, lastIndex, "record length " + length
                        + " exceeds the maximum record size " + maxRecordBytes);
            }
            long end = pos + SegmentFormat.RECORD_HEADER_BYTES + length;
            if (end > size) {
                return endOrCorrupt(header, pos, records, lastIndex,
                        "record of " + length + " payload bytes is cut short by the end of the file");
            }
            load(pos, (int) (end - pos));
            at = (int) (pos - chunkStart);
            if (checksum.ofRecord(chunk, at, (int) length) != getInt(at + 4)) {
                if (lastSegment && (end == size || allZeroFrom(pos) || allZeroFrom(end))) {
                    return torn(header, pos, records, "checksum mismatch on the last record");
                }
                return endOrCorrupt(header, pos, records, lastIndex, "record checksum mismatch");
            }
            long term = getLong(at + 8);
            long index = getLong(at + 16);
            int type = chunk[at + 24];
            long expected = header.firstIndex() + records;
            if (index != expected) {
                throw new CorruptLogException(segment.path(), pos, "record holds index " + index + ", expected " + expected);
            }
            try {
                EntryType.fromCode(type);
            } catch (IllegalArgumentException e) {
                throw new CorruptLogException(segment.path(), pos + 24, e.getMessage());
            }
            visitor.record(pos, term, index, type, (int) length);
            records++;
            pos = end;
        }
        return new Result(header, pos, size, records, null);
    }

    /**
     * Reads the header; returns null when, in the last segment, it is one whose write never completed and
     * no record of this segment follows it: a header that fails its checksum (torn), or the intact header
     * of an earlier segment, with a smaller id and first index, which a recycled file holds until its new
     * header is written (FORMAT.md §6 step 3.2). Otherwise such a header is corruption, as is a bad magic
     * or an unknown version anywhere, and a header naming any other segment (a file renamed by hand).
     */
    private SegmentHeader header() throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(chunk, 0, SegmentFormat.HEADER_BYTES);
        SegmentFormat.readVersion(bytes, segment.path());
        CorruptLogException damage;
        boolean earlier;
        try {
            SegmentHeader header = SegmentFormat.readHeader(bytes, segment.path());
            if (header.firstIndex() == segment.firstIndex() && header.segmentId() == segment.segmentId()) {
                return header;
            }
            damage = new CorruptLogException(segment.path(), 16, "header names first index " + header.firstIndex()
                    + " and segment id " + header.segmentId() + ", but the file name says " + segment.firstIndex()
                    + " and " + segment.segmentId());
            earlier = header.segmentId() < segment.segmentId() && header.firstIndex() < segment.firstIndex();
        } catch (CorruptLogException e) {
            damage = e;
            earlier = true; // torn: what it names cannot be read
        }
        if (!lastSegment || !earlier) {
            throw damage;
        }
        // The header's own version cannot be trusted here: look for records of either kind.
        for (int v = SegmentFormat.OLDEST_VERSION; v <= SegmentFormat.VERSION; v++) {
            checksum = RecordChecksum.of(v, segment.segmentId());
            long found = intactRecordAfter(SegmentFormat.HEADER_BYTES - 1, segment.firstIndex() - 1);
            if (found >= 0) {
                throw new CorruptLogException(segment.path(), damage.offset(), damage.reason()
                        + ", with an intact record of this segment at byte " + found + " after it");
            }
        }
        return null;
    }

    /**
     * The record at {@code pos} does not check out. In the last segment that is its end when no record of
     * this segment follows: the rest of an interrupted write, or an earlier segment's records in a recycled
     * file. Anywhere else, or with an intact record after it, it is corruption.
     */
    private Result endOrCorrupt(SegmentHeader header, long pos, long records, long lastIndex, String reason)
            throws IOException {
        if (!lastSegment) {
            throw new CorruptLogException(segment.path(), pos, reason + " in a segment that is not the last one");
        }
        long found = intactRecordAfter(pos, lastIndex);
        if (found >= 0) {
            throw new CorruptLogException(segment.path(), pos, reason + ", with an intact record of this segment at byte "
                    + found + " after it");
        }
        return torn(header, pos, records, header.recycled() ? RECYCLED_TAIL : reason + ", and no intact record after it");
    }

    /**
     * The offset of the first record after {@code from} that checks out as one of this segment's, at any
     * byte offset and with an index after {@code lastIndex}, or -1 when there is none. Cheap tests first
     * (reserved bytes, index range, length), so that the checksum is computed almost only for real
     * records: about 0.2 s for a 64 MiB segment on the development machine, and only when a last segment
     * does not end cleanly.
     */
    private long intactRecordAfter(long from, long lastIndex) throws IOException {
        long maxIndex = lastIndex + (size - from) / SegmentFormat.RECORD_HEADER_BYTES;
        for (long p = from + 1; p + SegmentFormat.RECORD_HEADER_BYTES <= size; p++) {
            if (p + SegmentFormat.RECORD_HEADER_BYTES > chunkStart + chunkLength || p < chunkStart) {
                load(p, SegmentFormat.RECORD_HEADER_BYTES);
            }
            int at = (int) (p - chunkStart);
            if (chunk[at + 25] != 0 || chunk[at + 26] != 0 || chunk[at + 27] != 0) {
                continue;
            }
            long index = getLong(at + 16);
            if (index <= lastIndex || index > maxIndex) {
                continue;
            }
            long length = Integer.toUnsignedLong(getInt(at));
            if (length > maxRecordBytes || p + SegmentFormat.RECORD_HEADER_BYTES + length > size) {
                continue;
            }
            load(p, (int) (SegmentFormat.RECORD_HEADER_BYTES + length));
            at = (int) (p - chunkStart);
            if (checksum.ofRecord(chunk, at, (int) length) == getInt(at + 4)) {
                return p;
            }
        }
        return -1;
    }

    private Result tornOrCorrupt(SegmentHeader header, long pos, long records, String reason) throws CorruptLogException {
        if (!lastSegment) {
            throw new CorruptLogException(segment.path(), pos, reason + " in a segment that is not the last one");
        }
        return torn(header, pos, records, reason);
    }

    private Result torn(SegmentHeader header, long pos, long records, String reason) {
        return new Result(header, pos, size, records, reason);
    }

    /** Makes {@code [pos, pos + n)} available in {@code chunk}. */
    private void load(long pos, int n) throws IOException {
        if (pos >= chunkStart && pos + n <= chunkStart + chunkLength) {
            return;
        }
        int want = (int) Math.max(n, Math.min(CHUNK_BYTES, size - pos));
        if (chunk.length < want) {
            chunk = new byte[Math.max(want, CHUNK_BYTES)];
            chunkView = ByteBuffer.wrap(chunk);
        }
        file.readFully(ByteBuffer.wrap(chunk, 0, want), pos);
        chunkStart = pos;
        chunkLength = want;
    }

    private boolean zeros(int at, int n) {
        for (int i = at; i < at + n; i++) {
            if (chunk[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private boolean allZeroFrom(long pos) throws IOException {
        byte[] b = new byte[64 * 1024];
        long at = pos;
        while (at < size) {
            int n = (int) Math.min(b.length, size - at);
            file.readFully(ByteBuffer.wrap(b, 0, n), at);
            for (int i = 0; i < n; i++) {
                if (b[i] != 0) {
                    return false;
                }
            }
            at += n;
        }
        return true;
    }

    private int getInt(int at) {
        return chunkView.getInt(at);
    }

    private long getLong(int at) {
        return chunkView.getLong(at);
    }
}
