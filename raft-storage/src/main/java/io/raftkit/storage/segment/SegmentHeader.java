package io.raftkit.storage.segment;

/**
 * The decoded header of a segment file.
 *
 * @param firstIndex index of the first record the segment holds (or will hold)
 * @param segmentId a number that grows with every segment created in the directory
 */
public record SegmentHeader(long firstIndex, long segmentId) {}
