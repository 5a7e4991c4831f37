package io.raftkit.storage;

import io.raftkit.storage.fs.FileSystem;
import java.util.Objects;

/**
 * Settings of a {@link SegmentedLog}. Immutable; each {@code with} method validates its argument and
 * returns a copy.
 */
public final class SegmentedLogOptions {

    /** Smallest segment size accepted, so that a segment holds more than its header. */
    public static final long MIN_SEGMENT_BYTES = 1024;
    /** Largest segment size accepted: record offsets stay well inside a signed 32-bit range. */
    public static final long MAX_SEGMENT_BYTES = 1L << 30;
    /** Largest payload accepted for one entry. */
    public static final int MAX_RECORD_BYTES_LIMIT = 256 << 20;

    private final long segmentBytes;
    private final int maxRecordBytes;
    private final SyncPolicy syncPolicy;
    private final long cacheBytes;
    private final int writeBufferBytes;
    private final FileSystem fileSystem;
    private final long preallocationBytes;
    private final long spareBytes;

    private SegmentedLogOptions(long segmentBytes, int maxRecordBytes, SyncPolicy syncPolicy, long cacheBytes,
            int writeBufferBytes, FileSystem fileSystem, long preallocationBytes, long spareBytes) {
        this.segmentBytes = segmentBytes;
        this.maxRecordBytes = maxRecordBytes;
        this.syncPolicy = syncPolicy;
        this.cacheBytes = cacheBytes;
        this.writeBufferBytes = writeBufferBytes;
        this.fileSystem = fileSystem;
        this.preallocationBytes = preallocationBytes;
        this.spareBytes = spareBytes;
    }

    /**
     * 64 MiB segments, 64 MiB max entry payload, {@link SyncPolicy#DURABLE}, 1 MiB entry cache, 1 MiB
     * write buffer, segments zero-filled 64 KiB ahead, up to 2 GiB of compacted segments kept for reuse.
     */
    public static SegmentedLogOptions defaults() {
        return new SegmentedLogOptions(64L << 20, 64 << 20, SyncPolicy.DURABLE, 1L << 20, 1 << 20, FileSystem.nio(),
                64L << 10, 2L << 30);
    }

    /** A segment is sealed and a new one started once it reaches this many bytes. */
    public SegmentedLogOptions withSegmentBytes(long bytes) {
        if (bytes < MIN_SEGMENT_BYTES || bytes > MAX_SEGMENT_BYTES) {
            throw new IllegalArgumentException("segment size must be in [" + MIN_SEGMENT_BYTES + ", "
                    + MAX_SEGMENT_BYTES + "] bytes, got " + bytes);
        }
        return new SegmentedLogOptions(bytes, maxRecordBytes, syncPolicy, cacheBytes, writeBufferBytes,
                fileSystem, preallocationBytes, spareBytes);
    }

    /** The largest entry payload accepted; larger appends are rejected at once. */
    public SegmentedLogOptions withMaxRecordBytes(int bytes) {
        if (bytes < 0 || bytes > MAX_RECORD_BYTES_LIMIT) {
            throw new IllegalArgumentException("max record size must be in [0, " + MAX_RECORD_BYTES_LIMIT
                    + "] bytes, got " + bytes);
        }
        return new SegmentedLogOptions(segmentBytes, bytes, syncPolicy, cacheBytes, writeBufferBytes,
                fileSystem, preallocationBytes, spareBytes);
    }

    /** Whether writes are forced to disk before they are acknowledged. */
    public SegmentedLogOptions withSyncPolicy(SyncPolicy policy) {
        Objects.requireNonNull(policy, "sync policy");
        return new SegmentedLogOptions(segmentBytes, maxRecordBytes, policy, cacheBytes, writeBufferBytes,
                fileSystem, preallocationBytes, spareBytes);
    }

    /**
     * Payload bytes of already written entries kept in memory for reads. Entries not yet written are
     * always kept, whatever this says.
     *
     * <p>The default, 1 MiB, is small on purpose. What a group reads from its log at full speed (entries
     * to send to followers, entries to apply) is a few hundred entries behind the last one written, so
     * 1 MiB serves it; a follower further behind reads the files, from the page cache. A larger cache
     * costs the JVM more than the reads it saves: its entries live just long enough to be copied by every
     * young collection and promoted. Measured with three nodes in one JVM at 128 writes in flight (the
     * load generator's README): 16 MiB against 1 MiB cost 34% more CPU per write and 29% fewer writes a
     * second at 1 KiB, and 8.6–11 against 7.4–8.3 µs per write at 100 B.
     */
    public SegmentedLogOptions withCacheBytes(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("cache size must be >= 0 bytes, got " + bytes);
        }
        return new SegmentedLogOptions(segmentBytes, maxRecordBytes, syncPolicy, bytes, writeBufferBytes,
                fileSystem, preallocationBytes, spareBytes);
    }

    /** Size of the writer's encoding buffer; a batch larger than this is written in several calls. */
    public SegmentedLogOptions withWriteBufferBytes(int bytes) {
        if (bytes < 4096 || bytes > (64 << 20)) {
            throw new IllegalArgumentException("write buffer size must be in [4096, " + (64 << 20) + "] bytes, got "
                    + bytes);
        }
        return new SegmentedLogOptions(segmentBytes, maxRecordBytes, syncPolicy, cacheBytes, bytes,
                fileSystem, preallocationBytes, spareBytes);
    }

    /** The file system to use; tests pass one that injects faults. */
    public SegmentedLogOptions withFileSystem(FileSystem fs) {
        Objects.requireNonNull(fs, "file system");
        return new SegmentedLogOptions(segmentBytes, maxRecordBytes, syncPolicy, cacheBytes, writeBufferBytes,
                fs, preallocationBytes, spareBytes);
    }

    /**
     * How far ahead of the records the active segment file is zero-filled, in steps of this many bytes
     * (never past the segment size); 0 turns preallocation off. Overwriting bytes a file already has
     * lets {@code fdatasync} skip the file system's journal commit that a growing file needs on every
     * fsync; the price is writing the zeros once. Small steps keep that price spread thin: with 1 MiB steps
     * the fsync that carried a step's zeros showed in the p99 (2.5 ms against 1.0 ms with 64 KiB, 256
     * appenders of 100 B), with no gain elsewhere. Accepts 0 or 4 KiB to 64 MiB.
     */
    public SegmentedLogOptions withPreallocationBytes(long bytes) {
        if (bytes != 0 && (bytes < 4096 || bytes > (64 << 20))) {
            throw new IllegalArgumentException("preallocation step must be 0 (off) or in [4096, " + (64 << 20)
                    + "] bytes, got " + bytes);
        }
        return new SegmentedLogOptions(segmentBytes, maxRecordBytes, syncPolicy, cacheBytes, writeBufferBytes,
                fileSystem,
                bytes, spareBytes);
    }

    /**
     * Most bytes of segments that a compaction freed kept as spares, to become later segments instead of
     * new files of zeros (FORMAT.md §2); 0 deletes them at once. Only under {@link SyncPolicy#DURABLE}
     * with preallocation on. A compaction keeps every segment it frees while the spares stay within this
     * bound, so the log and its spares never take more disk than the log took just before it. The bound
     * is in whole segments: this divided by the segment size.
     *
     * <p>Why 2 GiB: a compaction frees as many segments as the log filled since the previous one, and
     * the next interval needs as many again. With 16 KiB entries and a snapshot every 100,000 entries
     * that is 25 segments of 64 MiB. Measured with the load generator's long run (3 nodes, 128 in
     * flight, 500,000 entries of 16 KiB, two runs each, the windows after the first): at most two spares
     * gave 10-15k writes/s at a p99 of 86-111 ms, 2 GiB gave 17-33k at 8-38 ms.
     */
    public SegmentedLogOptions withSpareBytes(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("spare bytes must be >= 0, got " + bytes);
        }
        return new SegmentedLogOptions(segmentBytes, maxRecordBytes, syncPolicy, cacheBytes, writeBufferBytes,
                fileSystem,
                preallocationBytes, bytes);
    }

    public long segmentBytes() {
        return segmentBytes;
    }

    public int maxRecordBytes() {
        return maxRecordBytes;
    }

    public SyncPolicy syncPolicy() {
        return syncPolicy;
    }

    public long cacheBytes() {
        return cacheBytes;
    }

    public int writeBufferBytes() {
        return writeBufferBytes;
    }

    public FileSystem fileSystem() {
        return fileSystem;
    }

    public long preallocationBytes() {
        return preallocationBytes;
    }

    public long spareBytes() {
        return spareBytes;
    }

    @Override
    public String toString() {
        return "SegmentedLogOptions{segmentBytes=" + segmentBytes + ", maxRecordBytes=" + maxRecordBytes
                + ", syncPolicy=" + syncPolicy + ", cacheBytes=" + cacheBytes + ", writeBufferBytes="
                + writeBufferBytes + ", preallocationBytes=" + preallocationBytes + ", spareBytes=" + spareBytes + "}";
    }
}
