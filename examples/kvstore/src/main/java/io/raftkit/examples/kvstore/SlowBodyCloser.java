package io.raftkit.examples.kvstore;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.time.Duration;

/**
 * Answers 408 and closes the connection when a request has begun but its body stops arriving (a client
 * that declared more bytes than it sends, or died mid-request): otherwise the connection and its buffer
 * would be held for ever. It sits after the HTTP decoder, sees each request's head and last part, and
 * acts on the reader-idle events of an {@code IdleStateHandler} in front of it. An idle connection
 * between requests is left alone (keep-alive). One per connection.
 */
final class SlowBodyCloser extends ChannelDuplexHandler {

    private final Duration timeout;
    private boolean insideRequest; // on the event loop only

    SlowBodyCloser(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            insideRequest = true;
        }
        if (msg instanceof LastHttpContent) {
            insideRequest = false;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent e && e.state() == IdleState.READER_IDLE) {
            if (insideRequest) {
                KvHttpHandler.answerAndClose(ctx, KvResponse.text(408, "the request body did not arrive within "
                        + timeout.toMillis() + " ms; closing the connection"));
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }
}
