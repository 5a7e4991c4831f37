package io.raftkit.transport.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.raftkit.transport.netty.wire.Frame;
import io.raftkit.transport.netty.wire.Handshake;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits an accepted connection only after a valid handshake, and nothing else.
 *
 * <p>The first frame must be a {@link Handshake} that speaks {@link WireProtocol#VERSION}, names this
 * cluster and a node other than this one; it must arrive within the handshake timeout. On success the
 * sender's id is stored in {@link #PEER_ID}, the sender is reported (with the address it gave) and this
 * handler leaves the pipeline; otherwise the connection is closed and the reason logged. One per channel.
 *
 * <p>Node ids this node does not know are admitted: which nodes belong to the group is the log's to say,
 * and it changes at run time. A node learns of a new member only when its log reaches the change, and a
 * node joining a group knows no member at all until the leader reaches it. The cluster id (and mutual
 * TLS, when on) keep other groups and strangers out.
 */
final class HandshakeVerifier extends ChannelInboundHandlerAdapter {

    /** The node id a connection proved in its handshake. */
    static final AttributeKey<String> PEER_ID = AttributeKey.valueOf("raftkit.peerId");

    private static final Logger LOG = LoggerFactory.getLogger(HandshakeVerifier.class);

    /** Told of each admitted connection, on its event loop, before any later frame is read. */
    @FunctionalInterface
    interface AdmittedPeer {
        /**
         * @param address the address the peer gave for itself ({@code host:port}), empty if none
         * @param remote where the connection comes from
         */
        void admitted(String nodeId, String address, SocketAddress remote);
    }

    private final String clusterId;
    private final String selfId;
    private final Duration timeout;
    private final Runnable onRefused;
    private final AdmittedPeer onAdmitted;
    private ScheduledFuture<?> deadline;
    private boolean refused;

    /**
     * @param onRefused told once for each connection refused
     * @param onAdmitted told when the handshake is accepted
     */
    HandshakeVerifier(String clusterId, String selfId, Duration timeout, Runnable onRefused,
                      AdmittedPeer onAdmitted) {
        this.clusterId = clusterId;
        this.selfId = selfId;
        this.timeout = timeout;
        this.onRefused = onRefused;
        this.onAdmitted = onAdmitted;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        deadline = ctx.executor().schedule(
                () -> refuse(ctx, "no handshake within " + timeout.toMillis() + " ms"),
                timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelDeadline();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelDeadline();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (refused) {
                return;
            }
            if (!(msg instanceof ParsedFrame parsed) || parsed.frame().getBodyCase() != Frame.BodyCase.HANDSHAKE) {
                refuse(ctx, "the first frame is " + describe(msg) + ", not a handshake");
                return;
            }
            Handshake h = parsed.frame().getHandshake();
            String problem = problemWith(h);
            if (problem != null) {
                refuse(ctx, problem);
                return;
            }
            ctx.channel().attr(PEER_ID).set(h.getNodeId());
            onAdmitted.admitted(h.getNodeId(), h.getAddress(), ctx.channel().remoteAddress());
            LOG.debug("accepted connection from {} at {}", h.getNodeId(), ctx.channel().remoteAddress());
            ctx.pipeline().remove(this);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private String problemWith(Handshake h) {
        if (h.getProtocolVersion() != WireProtocol.VERSION) {
            return "it speaks protocol version " + h.getProtocolVersion() + ", this node speaks "
                    + WireProtocol.VERSION;
        }
        if (!h.getClusterId().equals(clusterId)) {
            return "it belongs to cluster '" + h.getClusterId() + "', this node to '" + clusterId + "'";
        }
        if (h.getNodeId().equals(selfId)) {
            return "it claims this node's own id '" + selfId + "'";
        }
        if (h.getNodeId().isBlank()) {
            return "it gives no node id";
        }
        return null;
    }

    private void refuse(ChannelHandlerContext ctx, String reason) {
        if (refused) {
            return;
        }
        refused = true;
        cancelDeadline();
        LOG.warn("refusing connection from {}: {}", ctx.channel().remoteAddress(), reason);
        onRefused.run();
        ctx.close();
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    private static String describe(Object msg) {
        return msg instanceof ParsedFrame p
                ? "a " + p.frame().getBodyCase() + " frame"
                : msg.getClass().getSimpleName();
    }
}
