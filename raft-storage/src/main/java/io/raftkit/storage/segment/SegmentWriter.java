package io.raftkit.storage.segment;

import io.raftkit.core.Entry;
import io.raftkit.storage.fs.FileSystem;
import io.raftkit.storage.fs.StorageFile;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Appends records to the tail of one segment file. Records are encoded into a buffer shared by every
 * writer of a log (only one segment is written at a time) and reach the file only on {@link #flush()}
 * or when the buffer fills, so that a batch costs a few large writes rather than one per entry.
 *
 * <p>Not thread-safe: only the log's writer thread uses it. Every I/O error names the file.
 */
public final class SegmentWriter implements Closeable {

    private final SegmentFile segment;
    private final StorageFile file;
    private final ByteBuffer buffer;
    private final CRC32C crc = new CRC32C();
    private final byte[] recordHeader = new byte[SegmentFormat.RECORD_HEADER_BYTES];
    private final ByteBuffer recordHeaderView = ByteBuffer.wrap(recordHeader);
    private long flushedBytes;

    private SegmentWriter(SegmentFile segment, StorageFile file, ByteBuffer buffer, long flushedBytes) {
        this.segment = segment;
        this.file = file;
        this.buffer = buffer;
        this.flushedBytes = flushedBytes;
        buffer.clear();
    }

    /** Creates the segment file and buffers its header; nothing is durable until {@link #force()}. */
    public static SegmentWriter create(FileSystem fs, SegmentFile segment, ByteBuffer buffer) throws IOException {
        StorageFile f;
        try {
            f = fs.open(segment.path(), true);
            f.truncate(0);
        } catch (IOException e) {
            throw failure("create", segment, 0, e);
        }
        SegmentWriter w = new SegmentWriter(segment, f, buffer, 0);
        SegmentFormat.putHeader(buffer, segment.firstIndex(), segment.segmentId(), w.crc);
        return w;
    }

    /** Reopens an existing segment to append after its first {@code size} bytes, cutting anything beyond. */
    public static SegmentWriter reopen(FileSystem fs, SegmentFile segment, long size, ByteBuffer buffer)
            throws IOException {
        StorageFile f;
        try {
            f = fs.open(segment.path(), false);
            if (f.size() != size) {
                f.truncate(size);
            }
        } catch (IOException e) {
            throw failure("reopen", segment, size, e);
        }
        return new SegmentWriter(segment, f, buffer, size);
    }

    public SegmentFile segment() {
        return segment;
    }

    /** Bytes in the segment including those still buffered. */
    public long size() {
        return flushedBytes + buffer.position();
    }

    /** Encodes one record; it may stay buffered until {@link #flush()}. */
    public void append(Entry e) throws IOException {
        byte[] data = e.data();
        recordHeaderView.clear();
        recordHeaderView.putInt(data.length).putInt(0).putLong(e.term()).putLong(e.index())
                .put((byte) e.type().code()).put((byte) 0).putShort((short) 0);
        crc.reset();
        crc.update(recordHeader, 0, 4);
        crc.update(recordHeader, 8, SegmentFormat.RECORD_HEADER_BYTES - 8);
        crc.update(data, 0, data.length);
        recordHeaderView.putInt(4, (int) crc.getValue());
        if (buffer.remaining() < recordHeader.length) {
            flush();
        }
        buffer.put(recordHeader);
        int off = 0;
        while (off < data.length) {
            if (!buffer.hasRemaining()) {
                flush();
            }
            int n = Math.min(buffer.remaining(), data.length - off);
            buffer.put(data, off, n);
            off += n;
        }
    }

    /** Writes buffered bytes to the file (not yet durable). */
    public void flush() throws IOException {
        if (buffer.position() == 0) {
            return;
        }
        buffer.flip();
        long at = flushedBytes;
        try {
            file.writeFully(buffer, at);
            flushedBytes += buffer.limit();
        } catch (IOException e) {
            throw failure("write", segment, at + buffer.position(), e);
        } finally {
            buffer.clear();
        }
    }

    /** Flushes and then forces the file to disk. */
    public void force() throws IOException {
        flush();
        try {
            file.force();
        } catch (IOException e) {
            throw failure("fsync", segment, flushedBytes, e);
        }
    }

    /** Cuts the segment to {@code size} bytes (buffered bytes are written first). Not durable until forced. */
    public void truncate(long size) throws IOException {
        flush();
        try {
            file.truncate(size);
        } catch (IOException e) {
            throw failure("truncate", segment, size, e);
        }
        flushedBytes = size;
    }

    /** Closes the file; buffered bytes are dropped, so flush or force first. */
    @Override
    public void close() throws IOException {
        buffer.clear();
        file.close();
    }

    private static IOException failure(String what, SegmentFile segment, long offset, IOException cause) {
        return new IOException(what + " of " + segment.path() + " failed at byte " + offset + ": " + cause, cause);
    }
}
