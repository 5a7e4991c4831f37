package io.raftkit.node;

import io.raftkit.core.SnapshotMeta;
import io.raftkit.core.SnapshotStore;
import io.raftkit.core.message.InstallSnapshot;
import io.raftkit.core.message.InstallSnapshotResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A follower's side of a snapshot transfer: writes the sender's chunks, in order, into a new snapshot in
 * the store, and commits it (durably) when the last chunk arrives. The sender is the leader or a follower
 * it asked to donate its snapshot; a transfer takes chunks from its one sender only, since two nodes'
 * snapshots at the same index hold the same state but need not hold the same bytes (a state machine may
 * write a map in any order). A first chunk from anyone starts a new transfer. It writes and syncs files, so it runs
 * on the node's snapshot I/O executor, never on the node driver's thread, which would otherwise stall
 * every election and heartbeat for as long as the disk takes; every call comes from that one executor.
 */
final class SnapshotReceiver {

    private static final Logger log = LoggerFactory.getLogger(SnapshotReceiver.class);

    private final String nodeId;
    private final SnapshotStore store;
    private SnapshotStore.SnapshotWriter writer;
    private SnapshotMeta meta;
    private String sender;
    private long expectedOffset;

    SnapshotReceiver(String nodeId, SnapshotStore store) {
        this.nodeId = nodeId;
        this.store = store;
    }

    /**
     * Takes one chunk. Returns the answer to send; when the answer completes a transfer,
     * {@link #completed()} names the snapshot that is now durable in the store.
     */
    InstallSnapshotResponse receive(InstallSnapshot m) {
        SnapshotMeta done = null;
        try {
            if (m.offset() == 0) {
                abort();
                writer = store.create(m.meta());
                meta = m.meta();
                sender = m.from();
                expectedOffset = 0;
            }
            if (writer == null || !m.meta().equals(meta) || !m.from().equals(sender) || m.offset() != expectedOffset) {
                return answer(m, false);
            }
            writer.output().write(m.data());
            expectedOffset += m.data().length;
            if (m.done()) {
                writer.output().flush();
                writer.commit();
                writer = null;
                done = meta;
            }
        } catch (IOException e) {
            log.warn("{}: storing snapshot chunk at {} of {} failed", nodeId, m.offset(), m.meta(), e);
            abort();
            return answer(m, false);
        }
        completed = done;
        return answer(m, true);
    }

    private SnapshotMeta completed;

    /** The snapshot the last {@link #receive} completed, or null. */
    SnapshotMeta completed() {
        SnapshotMeta c = completed;
        completed = null;
        return c;
    }

    private InstallSnapshotResponse answer(InstallSnapshot m, boolean success) {
        return new InstallSnapshotResponse(nodeId, m.from(), m.term(), m.meta().index(), expectedOffset, success);
    }

    void abort() {
        if (writer != null) {
            writer.abort();
            writer = null;
        }
        meta = null;
        sender = null;
        expectedOffset = 0;
        completed = null;
    }
}
