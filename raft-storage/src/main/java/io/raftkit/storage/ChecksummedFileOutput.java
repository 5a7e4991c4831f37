package io.raftkit.storage;

import io.raftkit.storage.fs.StorageFile;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/** Buffers a stream into a file from a given offset, keeping its CRC32C and length. Closing it is a no-op. */
final class ChecksummedFileOutput extends OutputStream {

    private final StorageFile file;
    private final long start;
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    private final CRC32C crc = new CRC32C();
    private long position;

    ChecksummedFileOutput(StorageFile file, long start) {
        this.file = file;
        this.start = start;
        this.position = start;
    }

    @Override
    public void write(int b) throws IOException {
        if (!buffer.hasRemaining()) {
            flush();
        }
        buffer.put((byte) b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (!buffer.hasRemaining()) {
                flush();
            }
            int n = Math.min(len, buffer.remaining());
            buffer.put(b, off, n);
            off += n;
            len -= n;
        }
    }

    @Override
    public void flush() throws IOException {
        buffer.flip();
        crc.update(buffer.array(), 0, buffer.limit());
        int n = buffer.limit();
        file.writeFully(buffer, position);
        position += n;
        buffer.clear();
    }

    long position() {
        return position;
    }

    long imageBytes() {
        return position - start;
    }

    int crc() {
        return (int) crc.getValue();
    }
}
