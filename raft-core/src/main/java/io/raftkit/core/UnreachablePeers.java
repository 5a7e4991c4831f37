package io.raftkit.core;

import java.util.HashSet;
import java.util.Set;

/**
 * The peers the transport reported it cannot reach ({@link RaftCore#peerUnreachable}), until this node
 * hears from each again. Advice, not fact: a connection can drop and come back between two messages,
 * and a cut link reports nothing. So it only steers choices that would otherwise wait out a timeout on
 * a peer that cannot answer (whom a leader hands leadership to, which follower it asks for a snapshot)
 * and never anything Raft's safety or its elections rest on.
 */
final class UnreachablePeers {

    private final Set<String> peers = new HashSet<>();

    /** Returns true when {@code peer} was not already counted unreachable. */
    boolean reported(String peer) {
        return peers.add(peer);
    }

    /** A message came from {@code peer}: it is reachable again, as far as anyone knows. */
    void heardFrom(String peer) {
        if (!peers.isEmpty()) {
            peers.remove(peer);
        }
    }

    boolean contains(String peer) {
        return peers.contains(peer);
    }
}
