package io.raftkit.storage;

import io.raftkit.core.Entry;
import io.raftkit.core.HardState;
import io.raftkit.core.SnapshotMeta;
import io.raftkit.storage.segment.SegmentFile;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One write handed from the log to its writer thread. The log has already decided every layout
 * question (which segment, which offset, which files go), so the writer only carries it out.
 */
sealed interface WriteOp {

    /** The future the caller holds; completed by the writer thread. */
    CompletableFuture<Void> future();

    /**
     * Append entries; before the entry whose index is the first index of the next of
     * {@code newSegments}, seal the current segment and start that one.
     */
    record Append(List<Entry> entries, List<SegmentFile> newSegments, CompletableFuture<Void> future)
            implements WriteOp {}

    /** Delete {@code deleted} (newest first), then cut {@code target} to {@code size} bytes and append to it. */
    record Truncate(SegmentFile target, long size, List<SegmentFile> deleted, CompletableFuture<Void> future)
            implements WriteOp {}

    /**
     * Persist the boundary, then delete {@code deleted} (oldest first); when {@code discardAll} the
     * current segment is among them and the next append starts a new one.
     */
    record Compact(SnapshotMeta boundary, List<SegmentFile> deleted, boolean discardAll,
            CompletableFuture<Void> future) implements WriteOp {}

    record SaveHardState(HardState state, CompletableFuture<Void> future) implements WriteOp {}

    /** Completes once every earlier write is durable. */
    record Barrier(CompletableFuture<Void> future) implements WriteOp {}

    /** Stop after the writes before it. */
    record Close(CompletableFuture<Void> future) implements WriteOp {}
}
