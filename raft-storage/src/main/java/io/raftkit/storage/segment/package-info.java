/**
 * Segment files of the write-ahead log: their byte layout ({@link io.raftkit.storage.segment.SegmentFormat}),
 * naming ({@link io.raftkit.storage.segment.SegmentFiles}), appending, positional reads and checked
 * scans. Public for {@code waldump} and other tools; applications use {@link io.raftkit.storage.SegmentedLog}.
 */
package io.raftkit.storage.segment;
