package io.raftkit.node;

import io.raftkit.core.Configuration;
import io.raftkit.core.LogStorage;
import io.raftkit.core.RaftConfig;
import io.raftkit.core.RaftCore;
import io.raftkit.core.SnapshotMeta;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * What a node does when it starts, before anything else, in production and in simulation alike:
 * restore the state machine from the latest snapshot, line the log up with it, and build the core on
 * what storage kept.
 *
 * @param core the recovered core
 * @param alignment the storage write that lines the log up with the snapshot, or null; the driver
 *     tracks it like its own writes (everything it writes later follows it)
 */
record NodeRecovery(RaftCore core, CompletableFuture<Void> alignment) {

    static NodeRecovery recover(String id, Configuration configuration, Applier applier, LogStorage storage,
                                RaftConfig config, long seed) throws IOException {
        SnapshotMeta restored = applier.restoreLatest();
        CompletableFuture<Void> alignment = null;
        if (restored.index() > storage.snapshotMeta().index()) {
            // The snapshot is ahead of the log's compaction point (a crash between the two): align the
            // log with it, as installing the snapshot would have. Reads see the write at once.
            alignment = storage.compact(restored);
        } else if (storage.snapshotMeta().index() > restored.index()) {
            throw new IllegalStateException("node " + id + ": the log is compacted to index "
                    + storage.snapshotMeta().index() + " but the newest readable snapshot is at " + restored.index()
                    + "; entries in between are lost. Restore the snapshot files or rebuild the node from a peer.");
        }
        return new NodeRecovery(new RaftCore(id, configuration, storage, config, seed), alignment);
    }
}
