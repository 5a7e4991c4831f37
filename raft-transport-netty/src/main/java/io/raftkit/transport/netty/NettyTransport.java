package io.raftkit.transport.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.raftkit.core.Transport;
import io.raftkit.core.message.Message;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link Transport}: protobuf frames over TCP (optionally mutual TLS), on Netty.
 *
 * <pre>{@code
 * NettyTransport transport = NettyTransport.builder()
 *         .nodeId("n1").clusterId("orders")
 *         .members(Map.of("n1", "10.0.0.1:7001", "n2", "10.0.0.2:7001", "n3", "10.0.0.3:7001"))
 *         .build();
 * transport.start(node::receive);
 * }</pre>
 *
 * <p>Each node listens on its own member address and dials one connection per peer, lazily, on the
 * first message; a lost connection is redialled with exponential backoff and jitter, so a restarted peer
 * is reached again without help. Messages to a peer wait in a queue bounded in messages and bytes;
 * beyond the bound they are dropped and counted ({@link #stats()}), so a dead or slow peer can neither
 * exhaust memory nor hold up the others. Inbound messages go to the receiver on the event-loop thread.
 * See {@link RaftChannelInitializer} for the pipeline and {@code raftkit.proto} for the wire format.
 */
public final class NettyTransport implements Transport {

    private static final Logger LOG = LoggerFactory.getLogger(NettyTransport.class);
    private static final long SHUTDOWN_TIMEOUT_MILLIS = 5_000;

    private final TransportSettings settings;
    private final TransportCounters counters = new TransportCounters();
    private final ChannelGroup inbound = new DefaultChannelGroup("raftkit-inbound", GlobalEventExecutor.INSTANCE);
    private volatile Map<String, PeerLink> links = Map.of();
    private volatile boolean started;
    private volatile boolean closed;
    private EventLoops loops;
    private Channel server;

    NettyTransport(TransportSettings settings) {
        this.settings = settings;
    }

    /** A builder; node id, cluster id and members are required. */
    public static NettyTransportBuilder builder() {
        return new NettyTransportBuilder();
    }

    /**
     * Binds this node's address and starts sending.
     *
     * @throws IllegalStateException when already started or closed
     * @throws UncheckedIOException when the address cannot be bound
     */
    @Override
    public synchronized void start(Receiver receiver) {
        Objects.requireNonNull(receiver, "receiver");
        if (closed) {
            throw new IllegalStateException("transport of " + settings.nodeId() + " is closed");
        }
        if (started) {
            throw new IllegalStateException("transport of " + settings.nodeId() + " is already started");
        }
        loops = EventLoops.create(settings.ioThreads(), settings.nodeId(), settings.epollAllowed());
        InboundDispatcher dispatcher = new InboundDispatcher(settings.nodeId(), receiver, counters);
        RaftChannelInitializer accepting = RaftChannelInitializer.accepting(settings, counters, dispatcher);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(loops.group())
                .channel(loops.serverChannelType())
                // A restarted node must be able to bind while old connections linger in TIME_WAIT.
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        inbound.add(ch);
                        ch.pipeline().addLast(accepting);
                    }
                });
        ChannelFuture bound = bootstrap.bind(settings.bindAddress()).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            loops.group().shutdownGracefully(0, SHUTDOWN_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS).awaitUninterruptibly();
            closed = true;
            Throwable cause = bound.cause();
            throw new UncheckedIOException("transport of " + settings.nodeId() + " cannot listen on "
                    + settings.bindAddress() + ": " + cause,
                    cause instanceof IOException io ? io : new IOException(cause));
        }
        server = bound.channel();
        Map<String, PeerLink> peers = new LinkedHashMap<>();
        for (String id : settings.members().keySet()) {
            if (!id.equals(settings.nodeId())) {
                peers.put(id, new PeerLink(id, loops, settings, counters));
            }
        }
        links = Map.copyOf(peers);
        started = true;
        LOG.info("transport of {} listening on {} ({}, TLS {})", settings.nodeId(), settings.bindAddress(),
                loops.kind(), settings.tls() == null ? "off" : "on");
    }

    /**
     * Queues {@code message} for its addressee. Never blocks and never throws: drops (and counts) the
     * message when the transport is not running, the addressee is unknown, {@code from} is not this
     * node, or the addressee's queue is full.
     */
    @Override
    public void send(Message message) {
        PeerLink link = started && !closed && message.from().equals(settings.nodeId())
                ? links.get(message.to()) : null;
        if (link == null) {
            counters.sendDropped.increment();
            return;
        }
        link.enqueue(message);
    }

    /**
     * Closes every connection and stops the event-loop threads; waits for them. Idempotent. Do not call
     * it from the receiver: the receiver runs on one of the threads this waits for.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!started) {
            return;
        }
        for (PeerLink link : links.values()) {
            link.close();
        }
        server.close().syncUninterruptibly();
        inbound.close().awaitUninterruptibly();
        loops.group().shutdownGracefully(0, SHUTDOWN_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                .awaitUninterruptibly();
        LOG.info("transport of {} closed", settings.nodeId());
    }

    /** The event loops, for tests that must hold them still; null before start. */
    EventLoops eventLoops() {
        return loops;
    }

    TransportSettings settings() {
        return settings;
    }

    /** A snapshot of the counters and per-peer queues. */
    public TransportStats stats() {
        Map<String, TransportStats.Peer> peers = new LinkedHashMap<>();
        links.forEach((id, link) -> peers.put(id, link.stats()));
        return new TransportStats(counters.received.sum(), counters.inboundDropped.sum(),
                counters.sendDropped.sum(), counters.oversizedDropped.sum(), counters.unencodableDropped.sum(),
                counters.refusedConnections.sum(), counters.protocolErrors.sum(), inbound.size(), peers);
    }
}
