package io.raftkit.transport.netty;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last inbound stage: closes a connection on any error and logs why, and nothing else.
 *
 * <p>Bad input from a peer (a frame too long, bytes that are not a frame, a failed TLS handshake) is
 * counted as a protocol error; a plain I/O failure (a reset, a closed socket) is not, since a restarted
 * or unreachable peer causes it.
 */
@Sharable
final class ErrorCloser extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorCloser.class);

    private final Runnable onProtocolError;

    ErrorCloser(Runnable onProtocolError) {
        this.onProtocolError = onProtocolError;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        String peer = ctx.channel().attr(HandshakeVerifier.PEER_ID).get();
        String who = ctx.channel().remoteAddress() + (peer == null ? "" : " ('" + peer + "')");
        if (cause instanceof IOException && !(cause.getCause() instanceof javax.net.ssl.SSLException)
                || cause instanceof ClosedChannelException) {
            LOG.debug("closing connection {}: {}", who, cause.toString());
        } else {
            LOG.warn("closing connection {}: {}", who, cause.toString());
            onProtocolError.run();
        }
        ctx.close();
    }
}
