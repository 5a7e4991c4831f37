package io.raftkit.node;

import io.raftkit.core.SnapshotStore;
import io.raftkit.core.message.InstallSnapshot;
import io.raftkit.core.message.InstallSnapshotResponse;
import io.raftkit.core.message.Message;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A leader's side of snapshot transfers: streams the latest snapshot to each follower that needs one,
 * one chunk in flight at a time (the follower's answer paces the next chunk), so a transfer never needs
 * the snapshot in memory. It reads files, so it runs on the node's snapshot I/O executor, never on the
 * node driver's thread; every call comes from that one executor.
 */
final class SnapshotSender {

    private static final Logger log = LoggerFactory.getLogger(SnapshotSender.class);

    private final String nodeId;
    private final SnapshotStore store;
    private final int chunkBytes;
    private final int timeoutTicks;
    private final Consumer<Message> send;
    private final BiConsumer<String, Boolean> finished;
    private final Map<String, Transfer> transfers = new HashMap<>();
    /** {@code transfers.size()} for other threads ({@code status()}). */
    private volatile int transfersUnderWay;

    private static final class Transfer {
        SnapshotStore.Snapshot snapshot;
        InputStream in;
        long offset;
        boolean lastSent;
        long idleTicks;
    }

    SnapshotSender(String nodeId, SnapshotStore store, int chunkBytes, int timeoutTicks, Consumer<Message> send,
                   BiConsumer<String, Boolean> finished) {
        this.nodeId = nodeId;
        this.store = store;
        this.chunkBytes = chunkBytes;
        this.timeoutTicks = timeoutTicks;
        this.send = send;
        this.finished = finished;
    }

    /** Starts sending the latest snapshot to {@code peer} in {@code term}, unless already sending. */
    void start(String peer, long term) {
        if (transfers.containsKey(peer)) {
            return;
        }
        try {
            var latest = store.latest();
            if (latest.isEmpty()) {
                log.error("{}: {} needs a snapshot but the store has none", nodeId, peer);
                finished.accept(peer, false);
                return;
            }
            Transfer t = new Transfer();
            t.snapshot = latest.get();
            t.in = t.snapshot.open();
            transfers.put(peer, t);
            transfersUnderWay = transfers.size();
            log.info("{}: sending snapshot {} ({} bytes) to {}", nodeId, t.snapshot.meta(), t.snapshot.sizeBytes(), peer);
            sendNext(peer, t, term);
        } catch (IOException e) {
            log.warn("{}: cannot read the snapshot for {}", nodeId, peer, e);
            finished.accept(peer, false);
        }
    }

    void onResponse(InstallSnapshotResponse r, long term) {
        Transfer t = transfers.get(r.from());
        if (t == null || r.snapshotIndex() != t.snapshot.meta().index()) {
            return;
        }
        t.idleTicks = 0;
        if (!r.success() || r.nextOffset() != t.offset) {
            end(r.from(), t, false);
        } else if (t.lastSent) {
            end(r.from(), t, true);
        } else {
            sendNext(r.from(), t, term);
        }
    }

    /** {@code ticks} passed: gives up on transfers whose follower stopped answering. */
    void tick(long ticks) {
        for (Iterator<Map.Entry<String, Transfer>> it = transfers.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Transfer> e = it.next();
            e.getValue().idleTicks += ticks;
            if (e.getValue().idleTicks > timeoutTicks) {
                it.remove();
                close(e.getValue());
                log.warn("{}: snapshot transfer to {} timed out", nodeId, e.getKey());
                finished.accept(e.getKey(), false);
            }
        }
    }

    /** Drops every transfer (this node stopped leading). */
    void abortAll() {
        for (Transfer t : transfers.values()) {
            close(t);
        }
        transfers.clear();
        transfersUnderWay = 0;
    }

    private void sendNext(String peer, Transfer t, long term) {
        try {
            byte[] chunk = t.in.readNBytes(chunkBytes);
            long chunkOffset = t.offset;
            t.offset += chunk.length;
            t.lastSent = t.offset >= t.snapshot.sizeBytes();
            send.accept(new InstallSnapshot(nodeId, peer, term, t.snapshot.meta(), chunkOffset, chunk, t.lastSent));
        } catch (IOException e) {
            log.warn("{}: reading snapshot {} for {} failed", nodeId, t.snapshot.meta(), peer, e);
            end(peer, t, false);
        }
    }

    private void end(String peer, Transfer t, boolean success) {
        transfers.remove(peer);
        transfersUnderWay = transfers.size();
        close(t);
        finished.accept(peer, success);
    }

    private static void close(Transfer t) {
        try {
            t.in.close();
        } catch (IOException ignored) {
            // nothing left to do with a snapshot we are no longer sending
        }
    }

    /** Outgoing transfers under way, each with at most one chunk in memory and in flight. */
    int transfersUnderWay() {
        return transfersUnderWay;
    }
}
