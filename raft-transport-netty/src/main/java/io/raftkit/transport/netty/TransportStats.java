package io.raftkit.transport.netty;

import java.util.Map;

/**
 * A snapshot of a {@link NettyTransport}'s counters. Counts are totals since the transport was built.
 *
 * @param messagesReceived inbound messages handed to the receiver
 * @param inboundDropped inbound messages dropped because their {@code from} was not the connection's
 *     node or their {@code to} not this node
 * @param sendDropped messages dropped before a peer queue: transport not started or closed, unknown
 *     addressee, or a {@code from} that is not this node
 * @param oversizedDropped messages dropped because their frame exceeded the maximum frame size
 * @param unencodableDropped messages dropped because they could not be encoded (a sender bug, such as
 *     a null payload; logged at ERROR)
 * @param refusedConnections inbound connections closed at the handshake
 * @param protocolErrors connections closed for bad input: bad or truncated frames received, or a failed
 *     TLS handshake (on either side of the connection)
 * @param openInboundConnections connections accepted and still open
 * @param peers per peer id, its outbound queue
 */
public record TransportStats(long messagesReceived, long inboundDropped, long sendDropped,
                             long oversizedDropped, long unencodableDropped, long refusedConnections,
                             long protocolErrors, int openInboundConnections, Map<String, Peer> peers) {

    public TransportStats {
        peers = Map.copyOf(peers);
    }

    /** Messages dropped on the way out, for any reason. */
    public long messagesDropped() {
        return sendDropped + oversizedDropped + unencodableDropped
                + peers.values().stream().mapToLong(Peer::dropped).sum();
    }

    /** Messages written to connections. */
    public long messagesSent() {
        return peers.values().stream().mapToLong(Peer::sent).sum();
    }

    /**
     * One peer's outbound side.
     *
     * @param queuedMessages messages waiting to be written (never above the configured bound)
     * @param queuedBytes their estimated size (never above the configured bound)
     * @param sent messages written to a connection (a connection that then fails loses them)
     * @param dropped messages refused because the queue was full (or discarded at close)
     * @param flushes flushes of written batches; {@code sent / flushes} is the mean batch size
     * @param connectAttempts connection attempts so far
     * @param connected whether a connection is up now
     */
    public record Peer(int queuedMessages, long queuedBytes, long sent, long dropped, long flushes,
                       long connectAttempts,
                       boolean connected) {}
}
