package io.raftkit.storage;

import io.raftkit.core.Configuration;
import io.raftkit.core.SnapshotMeta;
import io.raftkit.storage.fs.FileSystem;
import io.raftkit.storage.fs.StorageFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The compaction boundary (FORMAT.md, "Boundary file"), replaced atomically: written to a temporary
 * file, forced, renamed over the old one, and the directory forced.
 */
final class BoundaryFile {

    static final String NAME = "boundary";
    static final String TEMP_NAME = "boundary.tmp";
    static final long MAGIC = 0x524B424F554E4452L; // "RKBOUNDR"
    static final int VERSION = 1;
    static final int HEADER_BYTES = 36;

    private final FileSystem fs;
    private final Path dir;
    private final boolean durable;

    BoundaryFile(FileSystem fs, Path dir, boolean durable) {
        this.fs = fs;
        this.dir = dir;
        this.durable = durable;
    }

    /** The saved boundary, or {@link SnapshotMeta#NONE} when there is no file. */
    SnapshotMeta read() throws IOException {
        Path path = dir.resolve(NAME);
        if (!fs.list(dir).contains(path)) {
            return SnapshotMeta.NONE;
        }
        try (StorageFile f = fs.openReadOnly(path)) {
            long size = f.size();
            if (size < HEADER_BYTES || size > HEADER_BYTES + (16L << 20)) {
                throw new CorruptLogException(path, 0, "boundary file has an impossible size " + size);
            }
            ByteBuffer b = ByteBuffer.allocate((int) size);
            f.readFully(b, 0);
            if (b.getLong(0) != MAGIC) {
                throw new CorruptLogException(path, 0, "bad magic, not a RaftKit boundary file");
            }
            int version = Short.toUnsignedInt(b.getShort(8));
            if (version != VERSION) {
                throw new CorruptLogException(path, 8, "unknown boundary format version " + version);
            }
            int configLen = b.getInt(32);
            if (configLen < 0 || HEADER_BYTES + configLen != size) {
                throw new CorruptLogException(path, 32, "configuration length " + configLen + " does not match the file size");
            }
            CRC32C crc = new CRC32C();
            crc.update(b.array(), 0, 12);
            crc.update(b.array(), 16, (int) size - 16);
            if ((int) crc.getValue() != b.getInt(12)) {
                throw new CorruptLogException(path, 12, "boundary file checksum mismatch");
            }
            byte[] config = new byte[configLen];
            b.get(HEADER_BYTES, config);
            try {
                return new SnapshotMeta(b.getLong(16), b.getLong(24), Configuration.decode(config));
            } catch (IllegalArgumentException e) {
                throw new CorruptLogException(path, 16, "invalid boundary: " + e.getMessage());
            }
        }
    }

    /** Replaces the saved boundary with {@code meta}, atomically and (under the durable policy) durably. */
    void write(SnapshotMeta meta) throws IOException {
        Path temp = dir.resolve(TEMP_NAME);
        Path path = dir.resolve(NAME);
        byte[] config = meta.configuration().encode();
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + config.length);
        b.putLong(MAGIC).putShort((short) VERSION).putShort((short) 0).putInt(0)
                .putLong(meta.index()).putLong(meta.term()).putInt(config.length).put(config);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, 12);
        crc.update(b.array(), 16, b.capacity() - 16);
        b.putInt(12, (int) crc.getValue());
        b.flip();
        try {
            try (StorageFile f = fs.open(temp, true)) {
                f.truncate(0);
                f.writeFully(b, 0);
                if (durable) {
                    f.force();
                }
            }
            fs.rename(temp, path);
            if (durable) {
                fs.syncDirectory(dir);
            }
        } catch (IOException e) {
            throw new IOException("saving the compaction boundary to " + path + " failed: " + e, e);
        }
    }
}
