package io.raftkit.transport.netty;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.raftkit.core.Transport;
import io.raftkit.core.message.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each inbound {@link Message} to the {@link Transport.Receiver}, and nothing else.
 *
 * <p>It drops (and counts) a message whose {@code from} is not the node the connection's handshake
 * proved, or whose {@code to} is not this node: a peer may only speak for itself. It runs on the event
 * loop and calls the receiver directly, which by the {@code Receiver} contract does not block (a node
 * queues the message for its loop's next turn, on this thread when the node's loop runs here). A receiver that throws is logged; the connection stays.
 */
@Sharable
final class InboundDispatcher extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(InboundDispatcher.class);
    private static final AttributeKey<Boolean> WARNED = AttributeKey.valueOf("raftkit.warnedMisaddressed");

    private final String selfId;
    private final Transport.Receiver receiver;
    private final TransportCounters counters;

    InboundDispatcher(String selfId, Transport.Receiver receiver, TransportCounters counters) {
        this.selfId = selfId;
        this.receiver = receiver;
        this.counters = counters;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Message m)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        String peer = ctx.channel().attr(HandshakeVerifier.PEER_ID).get();
        if (!m.from().equals(peer) || !m.to().equals(selfId)) {
            counters.inboundDropped.increment();
            // Once per connection: a misbehaving peer must not be able to flood the log.
            if (ctx.channel().attr(WARNED).setIfAbsent(Boolean.TRUE) == null) {
                LOG.warn("dropping {} from connection of '{}' at {}: it may only carry messages from '{}' to '{}'"
                                + " (further drops on this connection are only counted)",
                        m.getClass().getSimpleName() + "(" + m.from() + "->" + m.to() + ")", peer,
                        ctx.channel().remoteAddress(), peer, selfId);
            }
            return;
        }
        counters.received.increment();
        try {
            receiver.receive(m);
        } catch (RuntimeException e) {
            LOG.error("the receiver of {} threw on {}", selfId, m, e);
        }
    }
}
