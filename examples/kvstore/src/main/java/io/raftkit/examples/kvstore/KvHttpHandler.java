package io.raftkit.examples.kvstore;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last stage of a connection's pipeline: parses each aggregated request, hands it to the
 * {@link KvService}, and writes the answer when the service's future completes, without ever blocking
 * the event loop.
 *
 * <p>Answers complete on the Raft node's apply thread and possibly out of order; this handler hops
 * back to the channel's event loop and writes them in request order, because an HTTP/1.1 client that
 * pipelines requests matches answers to requests by position. One instance per connection.
 */
final class KvHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(KvHttpHandler.class);

    /** Pipelined requests in flight per connection before the handler stops reading more. */
    private static final int MAX_IN_FLIGHT = 64;

    private final RequestParser parser;
    private final KvService service;
    private final ArrayDeque<Slot> inFlight = new ArrayDeque<>(); // touched on the event loop only

    /** One request's place in the answer order. */
    private static final class Slot {
        final boolean keepAlive;
        KvResponse response;

        Slot(boolean keepAlive) {
            this.keepAlive = keepAlive;
        }
    }

    KvHttpHandler(RequestParser parser, KvService service) {
        this.parser = parser;
        this.service = service;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (request.decoderResult().isFailure()) {
            Slot slot = enqueue(ctx, false);
            Throwable cause = request.decoderResult().cause();
            // The decoder's message says what is wrong in words; its class name would tell a client nothing.
            String why = cause == null || cause.getMessage() == null ? "it cannot be read as HTTP/1.1" : cause.getMessage();
            answer(ctx, slot, KvResponse.text(400, "malformed HTTP request: " + why));
            return;
        }
        Slot slot = enqueue(ctx, HttpUtil.isKeepAlive(request));
        KvRequest parsed;
        try {
            parsed = parser.parse(request.method().name(), request.uri(), request.headers()::getAll,
                    ByteBufUtil.getBytes(request.content()));
        } catch (InvalidRequestException e) {
            answer(ctx, slot, e.toResponse());
            return;
        }
        service.handle(parsed).whenComplete((response, failure) -> {
            KvResponse r = failure == null ? response : KvResponse.text(500, "internal error: " + failure);
            if (failure != null) {
                log.warn("request {} {} failed unexpectedly", request.method(), parsed.getClass().getSimpleName(),
                        failure);
            }
            ctx.executor().execute(() -> answer(ctx, slot, r));
        });
    }

    private Slot enqueue(ChannelHandlerContext ctx, boolean keepAlive) {
        Slot slot = new Slot(keepAlive);
        inFlight.add(slot);
        if (inFlight.size() >= MAX_IN_FLIGHT) {
            ctx.channel().config().setAutoRead(false);
        }
        return slot;
    }

    /** Records {@code slot}'s answer and writes every answer that is now next in line. */
    private void answer(ChannelHandlerContext ctx, Slot slot, KvResponse response) {
        slot.response = response;
        boolean wrote = false;
        while (!inFlight.isEmpty() && inFlight.peek().response != null) {
            Slot next = inFlight.poll();
            wrote = true;
            if (!next.keepAlive) {
                ctx.writeAndFlush(toHttp(next.response, false)).addListener(ChannelFutureListener.CLOSE);
                inFlight.clear(); // the connection ends here; later pipelined requests go unanswered
                return;
            }
            ctx.write(toHttp(next.response, true));
        }
        if (wrote) {
            ctx.flush();
        }
        if (inFlight.size() < MAX_IN_FLIGHT && !ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    /** Writes {@code r} outside the request order (the request could not be read) and closes the connection. */
    static void answerAndClose(ChannelHandlerContext ctx, KvResponse r) {
        ctx.writeAndFlush(toHttp(r, false)).addListener(ChannelFutureListener.CLOSE);
    }

    /** How long a connection answered before its request body ended still takes (and drops) that body. */
    static final long LINGER_MILLIS = 2_000;

    /**
     * Answers a request whose body is still arriving, then stops sending and closes only once the client
     * has closed, or after {@link #LINGER_MILLIS}. Closing at once, with the body's bytes unread, makes
     * the kernel reset the connection, and a reset can destroy the answer before the client reads it
     * (a client uploading a body over the limit then saw no answer at all). The rest of the body is
     * dropped meanwhile by the aggregator, which discards an oversized message's content.
     */
    static void answerAndLingerClose(ChannelHandlerContext ctx, KvResponse r) {
        ctx.writeAndFlush(toHttp(r, false)).addListener((ChannelFutureListener) written -> {
            io.netty.channel.Channel channel = written.channel();
            if (!written.isSuccess() || !(channel instanceof io.netty.channel.socket.DuplexChannel duplex)) {
                channel.close();
                return;
            }
            duplex.shutdownOutput();
            channel.eventLoop().schedule(() -> {
                channel.close();
            }, LINGER_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
        });
    }

    private static FullHttpResponse toHttp(KvResponse r, boolean keepAlive) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(r.status()), Unpooled.wrappedBuffer(r.body()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
        HttpUtil.setContentLength(response, r.body().length);
        if (r.allow() != null) {
            response.headers().set(HttpHeaderNames.ALLOW, r.allow());
        }
        if (r.location() != null) {
            response.headers().set(HttpHeaderNames.LOCATION, r.location());
        }
        HttpUtil.setKeepAlive(response, keepAlive);
        return response;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("HTTP connection from {} failed; closing it", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }
}
