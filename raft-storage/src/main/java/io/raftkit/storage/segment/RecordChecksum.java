package io.raftkit.storage.segment;

import java.util.zip.CRC32C;

/**
 * The checksum of one record (FORMAT.md §2.2): CRC32-C over the length, the rest of the header and the
 * payload, seeded in format version 2 with the segment id.
 *
 * <p>Why the seed: a recycled segment file (§2) still holds an earlier segment's records after the new
 * ones. Those records were checksummed under another segment id, so none of them can pass for a record
 * of this segment, and recovery can tell the end of the records from damage in the middle (§6 step 3.3)
 * without trusting the indexes the stale bytes happen to hold. Version 1 segments have no seed.
 *
 * <p>Not thread-safe; each reader or writer keeps its own.
 */
final class RecordChecksum {

    private final CRC32C crc = new CRC32C();
    private final byte[] seed;

    private RecordChecksum(byte[] seed) {
        this.seed = seed;
    }

    /** The checksum of records in a segment of {@code version} with id {@code segmentId}. */
    static RecordChecksum of(int version, long segmentId) {
        if (version < 2) {
            return new RecordChecksum(new byte[0]);
        }
        byte[] seed = new byte[8];
        for (int i = 0; i < 8; i++) {
            seed[i] = (byte) (segmentId >>> (56 - 8 * i));
        }
        return new RecordChecksum(seed);
    }

    /** Starts a record: resets and feeds the seed. */
    void start() {
        crc.reset();
        crc.update(seed, 0, seed.length);
    }

    void update(byte[] b, int off, int len) {
        crc.update(b, off, len);
    }

    int value() {
        return (int) crc.getValue();
    }

    /**
     * The checksum of the whole record whose 28-byte header starts at {@code at} of {@code b}, followed
     * by {@code payloadBytes} bytes: everything but the checksum field itself.
     */
    int ofRecord(byte[] b, int at, int payloadBytes) {
        start();
        crc.update(b, at, 4);
        crc.update(b, at + 8, SegmentFormat.RECORD_HEADER_BYTES - 8 + payloadBytes);
        return value();
    }
}
