package io.raftkit.storage.segment;

/**
 * The decoded header of a segment file.
 *
 * @param version the segment's format version
 * @param flags header flags ({@link SegmentFormat#FLAG_RECYCLED}); always 0 in version 1
 * @param firstIndex index of the first record the segment holds (or will hold)
 * @param segmentId a number that grows with every segment created in the directory
 */
public record SegmentHeader(int version, int flags, long firstIndex, long segmentId) {

    /** Whether the file was recycled, so that an earlier segment's records may follow this one's. */
    public boolean recycled() {
        return (flags & SegmentFormat.FLAG_RECYCLED) != 0;
    }
}
