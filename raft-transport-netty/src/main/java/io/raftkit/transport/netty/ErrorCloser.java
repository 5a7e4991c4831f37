package io.raftkit.transport.netty;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.EncoderException;
import java.io.IOException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last inbound stage: closes a connection on any error and logs why, and nothing else.
 *
 * <p>Bad input from a peer (a frame too long, bytes that are not a frame, a failed TLS handshake) is
 * counted as a protocol error; a plain I/O failure (a reset, a closed socket) is not, since a restarted
 * or unreachable peer causes it.
 *
 * <p>The one error that does not close: an {@link EncoderException} means one outbound message could
 * not be put on the wire (a sender bug, such as a null payload). Nothing of it was written, so the
 * stream is intact and only that message is dropped.
 */
@Sharable
final class ErrorCloser extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorCloser.class);

    private final Runnable onProtocolError;
    private final Runnable onUnencodable;

    /**
     * @param onProtocolError told for each connection closed for bad input
     * @param onUnencodable told for each outbound message dropped because it could not be encoded
     */
    ErrorCloser(Runnable onProtocolError, Runnable onUnencodable) {
        this.onProtocolError = onProtocolError;
        this.onUnencodable = onUnencodable;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        String peer = ctx.channel().attr(HandshakeVerifier.PEER_ID).get();
        String who = ctx.channel().remoteAddress() + (peer == null ? "" : " ('" + peer + "')");
        if (cause instanceof EncoderException) {
            LOG.error("dropping an outbound message to {} that cannot be encoded", who, cause);
            onUnencodable.run();
            return;
        }
        // An SSLException is an IOException too, but it is the peer's fault, not the network's.
        boolean networkFailure = cause instanceof IOException && !(cause instanceof SSLException);
        if (networkFailure) {
            LOG.debug("closing connection {}: {}", who, cause.toString());
        } else {
            LOG.warn("closing connection {}: {}", who, cause.toString());
            onProtocolError.run();
        }
        ctx.close();
    }
}
