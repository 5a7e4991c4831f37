package io.raftkit.storage.segment;

import io.raftkit.core.Entry;
import io.raftkit.storage.CorruptLogException;
import io.raftkit.storage.fs.FileSystem;
import io.raftkit.storage.fs.StorageFile;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Appends records to the tail of one segment file. Records are encoded into a buffer shared by every
 * writer of a log (only one segment is written at a time) and reach the file only on {@link #flush()}
 * or when the buffer fills, so that a batch costs a few large writes rather than one per entry.
 *
 * <p>Preallocation: whenever a write reaches past the bytes the file had, a whole step of zeros (up to
 * the segment size) is written after it, so that the next writes overwrite bytes that exist. That is what
 * lets {@code fdatasync} skip the file system's journal: appending to a growing file changes its size,
 * and committing that change costs ext4 or XFS a journal write and a second cache flush on every fsync.
 * PostgreSQL zero-fills its WAL segments for the same reason. Recovery reads zeros after the last record
 * of the active segment as never-written space (FORMAT.md, step 3.3); a sealed segment has none,
 * because a segment is sealed only once its records reach the segment size (the limit of the zeros),
 * and {@link #seal} trims any that remain all the same.
 *
 * <p>Not thread-safe: only the log's writer thread uses it. Every I/O error names the file.
 */
public final class SegmentWriter implements Closeable {

    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(256 << 10).asReadOnlyBuffer();

    private final SegmentFile segment;
    private final StorageFile file;
    private final ByteBuffer buffer;
    private final RecordChecksum checksum;
    private final byte[] recordHeader = new byte[SegmentFormat.RECORD_HEADER_BYTES];
    private final ByteBuffer recordHeaderView = ByteBuffer.wrap(recordHeader);
    private final Preallocation preallocation;
    private long flushedBytes;
    /** The file's size: records up to {@link #flushedBytes}, zeros after. */
    private long fileBytes;

    /**
     * How far ahead of the records a segment file is zero-filled.
     *
     * @param stepBytes bytes added per extension; 0 disables preallocation
     * @param limitBytes never extend past this size (the segment size)
     */
    public record Preallocation(long stepBytes, long limitBytes) {

        public static final Preallocation NONE = new Preallocation(0, 0);
    }

    private SegmentWriter(SegmentFile segment, int version, StorageFile file, ByteBuffer buffer, long flushedBytes,
            Preallocation preallocation) {
        this.segment = segment;
        this.checksum = RecordChecksum.of(version, segment.segmentId());
        this.file = file;
        this.buffer = buffer;
        this.flushedBytes = flushedBytes;
        this.fileBytes = flushedBytes;
        this.preallocation = preallocation;
        buffer.clear();
    }

    /** Creates the segment file and buffers its header; nothing is durable until {@link #force()}. */
    public static SegmentWriter create(FileSystem fs, SegmentFile segment, ByteBuffer buffer) throws IOException {
        return create(fs, segment, buffer, Preallocation.NONE);
    }

    /** As {@link #create(FileSystem, SegmentFile, ByteBuffer)}, zero-filling ahead of the records. */
    public static SegmentWriter create(FileSystem fs, SegmentFile segment, ByteBuffer buffer, Preallocation preallocation)
            throws IOException {
        StorageFile f;
        try {
            f = fs.open(segment.path(), true);
            f.truncate(0);
        } catch (IOException e) {
            throw failure("create", segment, 0, e);
        }
        SegmentWriter w = new SegmentWriter(segment, SegmentFormat.VERSION, f, buffer, 0, preallocation);
        SegmentFormat.putHeader(buffer, segment.firstIndex(), segment.segmentId(), 0, new CRC32C());
        return w;
    }

    /**
     * Starts {@code segment} in a file made ahead by {@link SegmentPreparer} by renaming it into place,
     * and buffers the header: every append then overwrites bytes that are already on disk, so none
     * changes the file's size. The file holds zeros up to the segment size (forced), or, when
     * {@code recycled}, a compacted segment's records, which this segment's records overwrite and whose
     * checksums can never pass for this segment's ({@link RecordChecksum}). The rename is made durable by
     * the directory fsync that follows a new segment's first fsync, as for {@link #create}; a crash
     * before that leaves either the prepared file (deleted on open) or a segment whose header is all
     * zeros or an earlier segment's, and which holds no record of its own (deleted on open, FORMAT.md
     * §6 step 3.2).
     */
    public static SegmentWriter adopt(FileSystem fs, Path prepared, SegmentFile segment, ByteBuffer buffer,
            Preallocation preallocation, boolean recycled) throws IOException {
        StorageFile f;
        long size;
        try {
            fs.rename(prepared, segment.path());
            f = fs.open(segment.path(), false);
            size = f.size();
        } catch (IOException e) {
            throw new IOException("renaming the prepared file " + prepared + " to " + segment.path() + " failed: " + e, e);
        }
        SegmentWriter w = new SegmentWriter(segment, SegmentFormat.VERSION, f, buffer, 0, preallocation);
        w.fileBytes = size;
        SegmentFormat.putHeader(buffer, segment.firstIndex(), segment.segmentId(),
                recycled ? SegmentFormat.FLAG_RECYCLED : 0, new CRC32C());
        return w;
    }

    /** Reopens an existing segment to append after its first {@code size} bytes, cutting anything beyond. */
    public static SegmentWriter reopen(FileSystem fs, SegmentFile segment, long size, ByteBuffer buffer)
            throws IOException {
        return reopen(fs, segment, size, buffer, Preallocation.NONE);
    }

    /**
     * As {@link #reopen(FileSystem, SegmentFile, long, ByteBuffer)}, zero-filling ahead of the records.
     * Appends stay in the segment's own format version, read from its header.
     */
    public static SegmentWriter reopen(FileSystem fs, SegmentFile segment, long size, ByteBuffer buffer,
            Preallocation preallocation) throws IOException {
        StorageFile f;
        int version;
        try {
            f = fs.open(segment.path(), false);
        } catch (IOException e) {
            throw failure("reopen", segment, size, e);
        }
        try {
            version = SegmentReader.readVersion(f, segment);
            if (f.size() != size) {
                f.truncate(size);
            }
        } catch (IOException e) {
            f.close();
            throw e instanceof CorruptLogException ? e : failure("reopen", segment, size, e);
        }
        return new SegmentWriter(segment, version, f, buffer, size, preallocation);
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
        checksum.start();
        checksum.update(recordHeader, 0, 4);
        checksum.update(recordHeader, 8, SegmentFormat.RECORD_HEADER_BYTES - 8);
        checksum.update(data, 0, data.length);
        recordHeaderView.putInt(4, checksum.value());
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
        long end = at + buffer.limit();
        try {
            file.writeFully(buffer, at);
            flushedBytes = end;
        } catch (IOException e) {
            throw failure("write", segment, at + buffer.position(), e);
        } finally {
            buffer.clear();
        }
        if (end > fileBytes) {
            fileBytes = end;
            extend();
        }
    }

    /** Zero-fills the next step after the records, once they have reached the end of the file. */
    private void extend() throws IOException {
        long target = Math.min(fileBytes + preallocation.stepBytes(), preallocation.limitBytes());
        long at = fileBytes;
        try {
            while (at < target) {
                at = writeZeros(file, at, target);
            }
        } catch (IOException e) {
            throw failure("zero-fill", segment, at, e);
        } finally {
            fileBytes = Math.max(fileBytes, at);
        }
    }

    /** Writes one chunk of zeros (at most 256 KiB) at {@code at}, not past {@code end}; returns where it stopped. */
    static long writeZeros(StorageFile file, long at, long end) throws IOException {
        ByteBuffer zeros = ZEROS.duplicate();
        zeros.limit((int) Math.min(zeros.capacity(), end - at));
        file.writeFully(zeros, at);
        return at + zeros.limit();
    }

    /**
     * Finishes the segment as a sealed one: flushes, cuts any zero-filled space after the records (a
     * sealed segment must end with its last record, FORMAT.md §2) and, when {@code durable}, forces it.
     */
    public void seal(boolean durable) throws IOException {
        flush();
        if (fileBytes > flushedBytes) {
            truncate(flushedBytes);
        }
        if (durable) {
            force();
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
        fileBytes = size;
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
