package io.raftkit.storage.segment;

import io.raftkit.core.EntryType;
import io.raftkit.storage.CorruptLogException;
import io.raftkit.storage.fs.StorageFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Reads a whole segment front to back, checking every record, for recovery and for {@code waldump}.
 * It decides what FORMAT.md's recovery procedure calls a torn tail versus corruption.
 */
public final class SegmentScanner {

    private static final int CHUNK_BYTES = 1 << 20;
    private static final String ZERO_TAIL = "zero-filled space after the last record";

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

        /** Index of the last intact record, or first index - 1 when there is none. */
        public long lastIndex() {
            return header == null ? -1 : header.firstIndex() + records - 1;
        }
    }

    private final StorageFile file;
    private final SegmentFile segment;
    private final boolean lastSegment;
    private final int maxRecordBytes;
    private final CRC32C crc = new CRC32C();
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
        SegmentHeader header = SegmentFormat.readHeader(ByteBuffer.wrap(chunk, 0, SegmentFormat.HEADER_BYTES), segment.path());
        if (header.firstIndex() != segment.firstIndex() || header.segmentId() != segment.segmentId()) {
            throw new CorruptLogException(segment.path(), 16, "header names first index " + header.firstIndex()
                    + " and segment id " + header.segmentId() + ", but the file name says " + segment.firstIndex()
                    + " and " + segment.segmentId());
        }
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
                // An interrupted append leaves a cut-short or zeroed header, never an impossible length.
                throw new CorruptLogException(segment.path(), pos, "record length " + length
                        + " exceeds the maximum record size " + maxRecordBytes);
            }
            long end = pos + SegmentFormat.RECORD_HEADER_BYTES + length;
            if (end > size) {
                return tornOrCorrupt(header, pos, records, "record of " + length + " payload bytes is cut short by the end of the file");
            }
            load(pos, (int) (end - pos));
            at = (int) (pos - chunkStart);
            crc.reset();
            crc.update(chunk, at, 4);
            crc.update(chunk, at + 8, (int) (end - pos) - 8);
            if ((int) crc.getValue() != getInt(at + 4)) {
                if (lastSegment && (end == size || allZeroFrom(pos) || allZeroFrom(end))) {
                    return torn(header, pos, records, "checksum mismatch on the last record");
                }
                throw new CorruptLogException(segment.path(), pos, "record checksum mismatch with intact data after it");
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
