package io.raftkit.core;

import io.raftkit.core.message.Message;
import java.util.Map;

/**
 * Carries {@link Message}s between the nodes of one group.
 *
 * <p>Raft tolerates loss, so a transport may drop: {@link #send} never blocks and never throws for a
 * network reason; a message to an unreachable or slow peer may be discarded (and should be counted).
 * Messages between one pair of nodes should arrive in the order sent, but Raft stays safe if they do
 * not.
 *
 * <p>Implementations: {@code io.raftkit.testkit.memory.InMemoryTransport} (tests and simulation) and
 * {@code io.raftkit.transport.netty.NettyTransport} in raft-transport-netty. Every implementation passes
 * {@code io.raftkit.core.contract.TransportContractTest} from raft-core's test-jar.
 */
public interface Transport extends AutoCloseable {

    /** Receives inbound messages. Called from transport threads; it must not block. */
    @FunctionalInterface
    interface Receiver {
        void receive(Message message);

        /**
         * The transport lost its connection to {@code peer}, or could not open one: messages to it are
         * not getting through for now. Optional for a transport, and advice for the node: it stops
         * preferring the peer (as the target of a leadership hand-over, or a snapshot's sender) until it
         * hears from it again, so that, say, a leader closing after its peers does not wait out an
         * election timeout handing over to one that has just stopped. Called from transport threads; it
         * must not block. Does nothing by default.
         */
        default void unreachable(String peer) {}
    }

    /**
     * Starts accepting and sending. Inbound messages addressed to this node go to {@code receiver}.
     *
     * @throws IllegalStateException when already started or closed
     */
    void start(Receiver receiver);

    /**
     * Queues {@code message} for {@link Message#to()}. Never blocks. Drops the message when the peer is
     * unknown, unreachable or too far behind, when its {@link Message#from()} is not this node, or when
     * the transport is not started or closed. Messages sent while a connection is still being set up
     * are queued (within the transport's bounds), not dropped: a node's first messages to a peer matter.
     */
    void send(Message message);

    /**
     * The id of the node this transport speaks for, when it was configured with one (a node checks that
     * it agrees with its own); null when it does not know.
     */
    default String nodeId() {
        return null;
    }

    /**
     * The nodes this node must be able to reach changed: {@code addresses} maps each (this node included)
     * to its address ({@code host:port}) as the configuration entries give it. The node calls this from
     * its own thread, before it sends anything under a new configuration, and once at start with the
     * configuration its log holds. A transport that addresses peers by address connects to nodes it did
     * not reach and lets go of nodes no longer listed; messages to an unlisted node may be dropped. The
     * default does nothing (for transports that reach every node by id).
     */
    default void updateMembers(Map<String, String> addresses) {}

    /** Stops sending and receiving and releases sockets and threads. Idempotent. */
    @Override
    void close();
}
