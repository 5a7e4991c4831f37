package io.raftkit.storage;

import io.raftkit.core.Configuration;
import io.raftkit.core.SnapshotMeta;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Byte layout of a snapshot file (FORMAT.md, "Snapshot files"): a header with the metadata, the
 * state-machine image as written, and a 16-byte trailer with the image size and checksum (the trailer
 * comes last because the image is streamed and its size is not known up front).
 */
final class SnapshotFileFormat {

    static final long MAGIC = 0x524B534E41505348L; // "RKSNAPSH"
    static final int TRAILER_MAGIC = 0x524B5345; // "RKSE"
    static final int VERSION = 1;
    static final int HEADER_FIXED_BYTES = 36;
    static final int TRAILER_BYTES = 16;
    static final int MAX_CONFIGURATION_BYTES = 1 << 20;

    private SnapshotFileFormat() {}

    static ByteBuffer header(SnapshotMeta meta) {
        byte[] config = meta.configuration().encode();
        ByteBuffer b = ByteBuffer.allocate(HEADER_FIXED_BYTES + config.length);
        b.putLong(MAGIC).putShort((short) VERSION).putShort((short) 0).putInt(0)
                .putLong(meta.index()).putLong(meta.term()).putInt(config.length).put(config);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, 12);
        crc.update(b.array(), 16, b.capacity() - 16);
        b.putInt(12, (int) crc.getValue());
        b.flip();
        return b;
    }

    /** Size of the header, from its fixed part (the first {@link #HEADER_FIXED_BYTES} bytes). */
    static int headerBytes(ByteBuffer fixed, Path file) throws CorruptLogException {
        if (fixed.getLong(0) != MAGIC) {
            throw new CorruptLogException(file, 0, "bad magic, not a RaftKit snapshot");
        }
        int version = Short.toUnsignedInt(fixed.getShort(8));
        if (version != VERSION) {
            throw new CorruptLogException(file, 8, "unknown snapshot format version " + version);
        }
        int configLen = fixed.getInt(32);
        if (configLen < 0 || configLen > MAX_CONFIGURATION_BYTES) {
            throw new CorruptLogException(file, 32, "impossible configuration length " + configLen);
        }
        return HEADER_FIXED_BYTES + configLen;
    }

    static SnapshotMeta readHeader(ByteBuffer header, Path file) throws CorruptLogException {
        CRC32C crc = new CRC32C();
        crc.update(header.array(), 0, 12);
        crc.update(header.array(), 16, header.capacity() - 16);
        if ((int) crc.getValue() != header.getInt(12)) {
            throw new CorruptLogException(file, 12, "snapshot header checksum mismatch");
        }
        byte[] config = new byte[header.getInt(32)];
        header.get(HEADER_FIXED_BYTES, config);
        try {
            return new SnapshotMeta(header.getLong(16), header.getLong(24), Configuration.decode(config));
        } catch (IllegalArgumentException e) {
            throw new CorruptLogException(file, 16, "invalid snapshot metadata: " + e.getMessage());
        }
    }

    static ByteBuffer trailer(long imageBytes, int imageCrc) {
        ByteBuffer b = ByteBuffer.allocate(TRAILER_BYTES);
        b.putLong(imageBytes).putInt(imageCrc).putInt(TRAILER_MAGIC);
        b.flip();
        return b;
    }
}
