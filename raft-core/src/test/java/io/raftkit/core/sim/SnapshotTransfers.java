package io.raftkit.core.sim;

import io.raftkit.core.message.InstallSnapshot;
import io.raftkit.core.message.InstallSnapshotResponse;
import io.raftkit.core.message.Message;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A leader's outgoing snapshot transfers, as the runtime's {@code SnapshotSender} does them but in one
 * chunk: the whole image travels in one {@link InstallSnapshot} through the simulated network (so it is
 * delayed, dropped, duplicated and cut like any message), and the follower's
 * {@link InstallSnapshotResponse} ends the transfer. A transfer whose answer does not come within the
 * timeout fails, so the core always hears {@code snapshotSent} for a transfer it asked for while leader.
 */
final class SnapshotTransfers {

    private static final class Transfer {
        final SimSnapshot snapshot;
        int idleTicks;

        Transfer(SimSnapshot snapshot) {
            this.snapshot = snapshot;
        }
    }

    private final String nodeId;
    private final int timeoutTicks;
    private final Consumer<Message> send;
    private final BiConsumer<String, Boolean> finished;
    /** By peer id: ticks visit transfers in a fixed order. */
    private final Map<String, Transfer> transfers = new TreeMap<>();

    SnapshotTransfers(String nodeId, int timeoutTicks, Consumer<Message> send, BiConsumer<String, Boolean> finished) {
        this.nodeId = nodeId;
        this.timeoutTicks = timeoutTicks;
        this.send = send;
        this.finished = finished;
    }

    /**
     * Sends {@code snapshot} to {@code peer} in {@code term}, unless a transfer to it is already under
     * way. Returns whether a transfer started.
     */
    boolean start(String peer, long term, SimSnapshot snapshot) {
        if (transfers.containsKey(peer)) {
            return false;
        }
        if (snapshot == null) {
            finished.accept(peer, false);
            return false;
        }
        transfers.put(peer, new Transfer(snapshot));
        send.accept(new InstallSnapshot(nodeId, peer, term, snapshot.meta(), 0, snapshot.image(), true));
        return true;
    }

    /** A follower's answer, in the leader's current term. */
    void onResponse(InstallSnapshotResponse r) {
        Transfer t = transfers.get(r.from());
        if (t == null || r.snapshotIndex() != t.snapshot.index()) {
            return; // an answer to an earlier transfer (a duplicate, or one that timed out)
        }
        transfers.remove(r.from());
        finished.accept(r.from(), r.success() && r.nextOffset() == t.snapshot.image().length);
    }

    /** Gives up on transfers whose follower stopped answering. */
    void tick() {
        for (Iterator<Map.Entry<String, Transfer>> it = transfers.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Transfer> e = it.next();
            // Read before removing: a TreeMap may reuse a removed entry for its successor.
            String peer = e.getKey();
            if (++e.getValue().idleTicks > timeoutTicks) {
                it.remove();
                finished.accept(peer, false);
            }
        }
    }

    /** Drops every transfer: this node no longer leads (the core ignores their outcome then). */
    void abortAll() {
        transfers.clear();
    }
}
