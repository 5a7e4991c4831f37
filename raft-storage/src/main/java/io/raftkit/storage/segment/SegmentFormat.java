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
 *  | magic         | ver  | rsvd | crc32c        | first index (u64)             | segment id (u64)              |
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
    /** The only format version this build reads and writes. */
    public static final int VERSION = 1;
    public static final int HEADER_BYTES = 32;
    public static final int RECORD_HEADER_BYTES = 28;

    private SegmentFormat() {}

    /** Puts a segment header at the buffer's position. */
    public static void putHeader(ByteBuffer buf, long firstIndex, long segmentId, CRC32C crc) {
        int at = buf.position();
        buf.putLong(MAGIC).putShort((short) VERSION).putShort((short) 0).putInt(0)
                .putLong(firstIndex).putLong(segmentId);
        crc.reset();
        updateCrc(crc, buf, at, 12);
        updateCrc(crc, buf, at + 16, 16);
        buf.putInt(at + 12, (int) crc.getValue());
    }

    /**
     * Decodes the 32 header bytes at the buffer's position.
     *
     * @throws CorruptLogException on a bad magic, unknown version or checksum mismatch
     */
    public static SegmentHeader readHeader(ByteBuffer buf, Path file) throws CorruptLogException {
        int at = buf.position();
        long magic = buf.getLong(at);
        if (magic != MAGIC) {
            throw new CorruptLogException(file, 0, "bad magic 0x" + Long.toHexString(magic) + ", not a RaftKit segment");
        }
        int version = Short.toUnsignedInt(buf.getShort(at + 8));
        if (version != VERSION) {
            throw new CorruptLogException(file, 8, "unknown segment format version " + version
                    + " (this build reads version " + VERSION + ")");
        }
        CRC32C crc = new CRC32C();
        updateCrc(crc, buf, at, 12);
        updateCrc(crc, buf, at + 16, 16);
        if ((int) crc.getValue() != buf.getInt(at + 12)) {
            throw new CorruptLogException(file, 12, "segment header checksum mismatch");
        }
        return new SegmentHeader(buf.getLong(at + 16), buf.getLong(at + 24));
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
