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
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sending side of snapshot transfers: streams this node's latest snapshot to each node that needs
 * one, one chunk in flight at a time (the receiver's answer paces the next chunk), so a transfer never
 * needs the snapshot in memory. A leader sends for itself; a follower sends on the leader's behalf when
 * asked to donate its snapshot ({@code DelegateSnapshot}). It reads files, so it runs on the node's
 * snapshot I/O executor, never on the node driver's thread; every call comes from that one executor.
 */
final class SnapshotSender {

    private static final Logger log = LoggerFactory.getLogger(SnapshotSender.class);

    private final String nodeId;
    private final SnapshotStore store;
    private final int chunkBytes;
    private final int timeoutTicks;
    private final Consumer<Message> send;
    private final Reports reports;
    private final Map<String, Transfer> transfers = new HashMap<>();
    /** {@code transfers.size()} for other threads ({@code status()}). */
    private volatile int transfersUnderWay;

    /** Where the sender's news goes, on its executor. */
    interface Reports {
        /** A transfer ended: sent (every chunk acknowledged), or not (failed, or declined). */
        void finished(String peer, long term, boolean success);

        /** A transfer asked for on a leader's behalf is under way: just started, or going on. */
        void sending(String peer, long term);
    }

    private static final class Transfer {
        long term;
        String leader;
        SnapshotStore.Snapshot snapshot;
        InputStream in;
        long offset;
        boolean lastSent;
        long idleTicks;
    }

    SnapshotSender(String nodeId, SnapshotStore store, int chunkBytes, int timeoutTicks, Consumer<Message> send,
                   Reports reports) {
        this.nodeId = nodeId;
        this.store = store;
        this.chunkBytes = chunkBytes;
        this.timeoutTicks = timeoutTicks;
        this.send = send;
        this.reports = reports;
    }

    /**
     * Starts sending the latest snapshot to {@code peer} in {@code term} on behalf of {@code leader} (this
     * node, or the leader that asked it), unless already sending to it. Declines (reports failure at once)
     * when the latest snapshot is older than {@code minIndex}.
     */
    void start(String peer, long term, long minIndex, String leader) {
        boolean donating = !leader.equals(nodeId);
        Transfer under = transfers.get(peer);
        if (under != null && under.term == term) {
            if (donating) {
                reports.sending(peer, term);
            }
            return;
        }
        if (under != null) {
            end(peer, under, false);
        }
        try {
            var latest = store.latest();
            if (latest.isEmpty() || latest.get().meta().index() < minIndex) {
                if (!donating) {
                    log.error("{}: {} needs a snapshot at or after {} but the store has {}", nodeId, peer, minIndex,
                            latest.map(l -> l.meta().toString()).orElse("none"));
                } else {
                    log.info("{}: declining to send {} a snapshot at or after {}: the latest here is {}", nodeId, peer,
                            minIndex, latest.map(l -> l.meta().toString()).orElse("none"));
                }
                reports.finished(peer, term, false);
                return;
            }
            Transfer t = new Transfer();
            t.term = term;
            t.leader = leader;
            t.snapshot = latest.get();
            t.in = t.snapshot.open();
            transfers.put(peer, t);
            transfersUnderWay = transfers.size();
            log.info("{}: sending snapshot {} ({} bytes) to {}{}", nodeId, t.snapshot.meta(), t.snapshot.sizeBytes(),
                    peer, donating ? " for leader " + leader : "");
            if (donating) {
                reports.sending(peer, term);
            }
            sendNext(peer, t);
        } catch (IOException e) {
            log.warn("{}: cannot read the snapshot for {}", nodeId, peer, e);
            reports.finished(peer, term, false);
        }
    }

    void onResponse(InstallSnapshotResponse r) {
        Transfer t = transfers.get(r.from());
        if (t == null || r.term() != t.term || r.snapshotIndex() != t.snapshot.meta().index()) {
            return;
        }
        t.idleTicks = 0;
        if (!r.success() || r.nextOffset() != t.offset) {
            end(r.from(), t, false);
        } else if (t.lastSent) {
            end(r.from(), t, true);
        } else {
            sendNext(r.from(), t);
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
                reports.finished(e.getKey(), e.getValue().term, false);
            }
        }
    }

    /** Drops every transfer (this node stopped leading, or its term moved on). */
    void abortAll() {
        for (Transfer t : transfers.values()) {
            close(t);
        }
        transfers.clear();
        transfersUnderWay = 0;
    }

    private void sendNext(String peer, Transfer t) {
        try {
            byte[] chunk = t.in.readNBytes(chunkBytes);
            long chunkOffset = t.offset;
            t.offset += chunk.length;
            t.lastSent = t.offset >= t.snapshot.sizeBytes();
            send.accept(new InstallSnapshot(nodeId, peer, t.term, t.leader, t.snapshot.meta(), chunkOffset, chunk,
                    t.lastSent));
        } catch (IOException e) {
            log.warn("{}: reading snapshot {} for {} failed", nodeId, t.snapshot.meta(), peer, e);
            end(peer, t, false);
        }
    }

    private void end(String peer, Transfer t, boolean success) {
        transfers.remove(peer);
        transfersUnderWay = transfers.size();
        close(t);
        reports.finished(peer, t.term, success);
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
