package io.raftkit.storage.segment;

import io.raftkit.storage.CorruptLogException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Byte layout of segment files; FORMAT.md is the specification and this class its only encoder. All
 * integers are big-endian.
 *
 * <pre>
 * Segment header (32 bytes, at offset 0)
 *  0               8      10     12              16                              24                              32
 *  +---------------+------+------+---------------+-------------------------------+-------------------------------+
 *  | magic         | ver  | flags| crc32c        | first index (u64)             | segment id (u64)              |
 *  | "RKWALSEG"    | u16  | u16  | of 0..12,16..32                               |                               |
 *  +---------------+------+------+---------------+-------------------------------+-------------------------------+
 *
 * Record (28-byte header + payload), back to back from offset 32
 *  0        4        8                16               24   25     28
 *  +--------+--------+----------------+----------------+----+------+----------------- - -
 *  | length | crc32c | term (u64)     | index (u64)    |type| rsvd | payload (length bytes)
 *  | u32    | of 0..4 and 8..28+length                 | u8 | 3x0  |
 *  +--------+--------+----------------+----------------+----+------+----------------- - -
 * </pre>
 */
public final class SegmentFormat {

    /** "RKWALSEG" in ASCII. */
    public static final long MAGIC = 0x524B57414C534547L;
    /** The format version of the segments this build creates. */
    public static final int VERSION = 2;
    /** The oldest format version this build reads (and appends to, in that format). */
    public static final int OLDEST_VERSION = 1;
    /**
     * Header flag: the file was recycled from a compacted segment, so the bytes after this segment's
     * records may be an earlier segment's records rather than zeros. Informational: recovery treats
     * every last segment alike (FORMAT.md §6 step 3.3); {@code waldump} uses it to name such a tail.
     */
    public static final int FLAG_RECYCLED = 1;
    public static final int HEADER_BYTES = 32;
    public static final int RECORD_HEADER_BYTES = 28;

    private SegmentFormat() {}

    /** Puts a version-{@value #VERSION} segment header with {@code flags} at the buffer's position. */
    public static void putHeader(ByteBuffer buf, long firstIndex, long segmentId, int flags, CRC32C crc) {
        int at = buf.position();
        buf.putLong(MAGIC).putShort((short) VERSION).putShort((short) flags).putInt(0)
                .putLong(firstIndex).putLong(segmentId);
        crc.reset();
        updateCrc(crc, buf, at, 12);
        updateCrc(crc, buf, at + 16, 16);
        buf.putInt(at + 12, (int) crc.getValue());
    }

    /**
     * Checks the magic and version of the header at the buffer's position and returns the version: the
     * part of a header that no interrupted write can damage, because every version of every segment
     * header starts with the same ten bytes.
     *
     * @throws CorruptLogException on a bad magic or a version this build does not read
     */
    public static int readVersion(ByteBuffer buf, Path file) throws CorruptLogException {
        int at = buf.position();
        long magic = buf.getLong(at);
        if (magic != MAGIC) {
            throw new CorruptLogException(file, 0, "bad magic 0x" + Long.toHexString(magic) + ", not a RaftKit segment");
        }
        int version = Short.toUnsignedInt(buf.getShort(at + 8));
        if (version < OLDEST_VERSION || version > VERSION) {
            throw new CorruptLogException(file, 8, "unknown segment format version " + version
                    + " (this build reads versions " + OLDEST_VERSION + " to " + VERSION + ")");
        }
        return version;
    }

    /**
     * Decodes the 32 header bytes at the buffer's position.
     *
     * @throws CorruptLogException on a bad magic, unknown version or checksum mismatch
     */
    public static SegmentHeader readHeader(ByteBuffer buf, Path file) throws CorruptLogException {
        int at = buf.position();
        int version = readVersion(buf, file);
        CRC32C crc = new CRC32C();
        updateCrc(crc, buf, at, 12);
        updateCrc(crc, buf, at + 16, 16);
        if ((int) crc.getValue() != buf.getInt(at + 12)) {
            throw new CorruptLogException(file, 12, "segment header checksum mismatch");
        }
        int flags = Short.toUnsignedInt(buf.getShort(at + 10));
        return new SegmentHeader(version, flags, buf.getLong(at + 16), buf.getLong(at + 24));
    }

    /** Size on disk of a record with a payload of {@code payloadBytes}. */
    public static long recordBytes(int payloadBytes) {
        return RECORD_HEADER_BYTES + (long) payloadBytes;
    }

    /** Feeds {@code len} bytes at absolute position {@code at} of {@code buf} to the checksum. */
    static void updateCrc(CRC32C crc, ByteBuffer buf, int at, int len) {
        if (buf.hasArray()) {
            crc.update(buf.array(), buf.arrayOffset() + at, len);
        } else {
            ByteBuffer view = buf.duplicate();
            view.limit(at + len).position(at);
            crc.update(view);
        }
    }
}
