package io.raftkit.storage.fs;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/** An open file, addressed by absolute positions so that readers and the writer never share a cursor. */
public interface StorageFile extends Closeable {

    /** Where the file lives, for error messages. */
    Path path();

    /** Writes all remaining bytes of {@code src} starting at {@code position}. */
    void writeFully(ByteBuffer src, long position) throws IOException;

    /** Reads up to {@code dst.remaining()} bytes at {@code position}; returns -1 at end of file. */
    int read(ByteBuffer dst, long position) throws IOException;

    /** The current size in bytes. */
    long size() throws IOException;

    /** Cuts the file to {@code size} bytes. */
    void truncate(long size) throws IOException;

    /** Makes everything written so far durable (fsync/fdatasync). */
    void force() throws IOException;

    /** Reads exactly {@code dst.remaining()} bytes at {@code position}, failing on a short file. */
    default void readFully(ByteBuffer dst, long position) throws IOException {
        long at = position;
        while (dst.hasRemaining()) {
            int n = read(dst, at);
            if (n < 0) {
                throw new java.io.EOFException(path() + ": unexpected end of file at byte " + at);
            }
            at += n;
        }
    }
}
