package io.raftkit.core;

import io.raftkit.core.message.Message;

/**
 * Carries {@link Message}s between the nodes of one group.
 *
 * <p>Raft tolerates loss, so a transport may drop: {@link #send} never blocks and never throws for a
 * network reason; a message to an unreachable or slow peer may be discarded (and should be counted).
 * Messages between one pair of nodes should arrive in the order sent, but Raft stays safe if they do
 * not.
 *
 * <p>Implementations: {@code io.raftkit.core.memory.InMemoryTransport} (tests and simulation) and
 * {@code io.raftkit.transport.netty.NettyTransport} in raft-transport-netty. Every implementation passes
 * {@code io.raftkit.core.contract.TransportContractTest} from raft-core's test-jar.
 */
public interface Transport extends AutoCloseable {

    /** Receives inbound messages. Called from transport threads; it must not block. */
    @FunctionalInterface
    interface Receiver {
        void receive(Message message);
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

    /** Stops sending and receiving and releases sockets and threads. Idempotent. */
    @Override
    void close();
}
