package io.raftkit.storage;

import io.raftkit.storage.fs.StorageFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Reads {@code length} bytes of a file from an offset and, on reaching their end, fails with a
 * {@link CorruptLogException} unless their CRC32C is the expected one.
 */
final class ChecksummedFileInput extends InputStream {

    private final StorageFile file;
    private final long end;
    private final int expectedCrc;
    private final CRC32C crc = new CRC32C();
    private long position;
    private boolean checked;

    ChecksummedFileInput(StorageFile file, long offset, long length, int expectedCrc) {
        this.file = file;
        this.position = offset;
        this.end = offset + length;
        this.expectedCrc = expectedCrc;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (position >= end) {
            check();
            return -1;
        }
        int want = (int) Math.min(len, end - position);
        int n = file.read(ByteBuffer.wrap(b, off, want), position);
        if (n < 0) {
            throw new CorruptLogException(file.path(), position, "snapshot image cut short");
        }
        crc.update(b, off, n);
        position += n;
        return n;
    }

    private void check() throws CorruptLogException {
        if (!checked && (int) crc.getValue() != expectedCrc) {
            throw new CorruptLogException(file.path(), end, "snapshot image checksum mismatch");
        }
        checked = true;
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
