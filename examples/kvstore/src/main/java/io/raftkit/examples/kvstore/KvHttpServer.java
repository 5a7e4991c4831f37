package io.raftkit.examples.kvstore;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A node's HTTP listener. Each connection's pipeline:
 * <pre>
 *   socket -> IdleStateHandler       reader-idle events
 *          -> HttpServerCodec        bytes <-> HTTP/1.1 messages
 *          -> SlowBodyCloser         408 and close when a begun request's body stops arriving
 *          -> OversizedBodyAggregator one FullHttpRequest per request; a body over the limit gets 413
 *          -> KvHttpHandler          parse, serve from the Raft node, answer in request order
 * </pre>
 */
final class KvHttpServer implements AutoCloseable {

    private static final int MAX_REQUEST_LINE = 64 * 1024; // long percent-encoded keys and expect values
    private static final int MAX_HEADER_BYTES = 16 * 1024;
    private static final int IO_THREADS = 2;

    private final EventLoopGroup group;
    private final Channel server;

    private KvHttpServer(EventLoopGroup group, Channel server) {
        this.group = group;
        this.server = server;
    }

    /**
     * Listens on {@code address}.
     *
     * @param maxBodyBytes the largest request body accepted; a larger one is answered 413
     * @param bodyTimeout how long a begun request may go without a byte before it is answered 408
     * @throws IOException when the address cannot be bound
     */
    static KvHttpServer bind(HostPort address, String nodeId, RequestParser parser, KvService service,
                             int maxBodyBytes, Duration bodyTimeout) throws IOException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(IO_THREADS,
                new DefaultThreadFactory("kvstore-http-" + nodeId, true), NioIoHandler.newFactory());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true) // a restarted node rebinds despite TIME_WAIT
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new IdleStateHandler(bodyTimeout.toMillis(), 0, 0, TimeUnit.MILLISECONDS))
                                .addLast(new HttpServerCodec(MAX_REQUEST_LINE, MAX_HEADER_BYTES, 64 * 1024))
                                .addLast(new SlowBodyCloser(bodyTimeout))
                                .addLast(new OversizedBodyAggregator(maxBodyBytes))
                                .addLast(new KvHttpHandler(parser, service));
                    }
                });
        ChannelFuture bound = bootstrap.bind(address.socketAddress()).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
            throw new IOException("cannot listen for HTTP on " + address + ": " + bound.cause().getMessage(),
                    bound.cause());
        }
        return new KvHttpServer(group, bound.channel());
    }

    /** The bound address (with the actual port when 0 was asked for). */
    InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
