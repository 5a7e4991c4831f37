package io.raftkit.transport.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.raftkit.core.Transport;
import io.raftkit.core.message.Message;
import io.raftkit.node.NodeLoopHost;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
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
 * first message. The peers are the builder's members until the node reports its configuration
 * ({@link #updateMembers}), then the configuration's: a member added at run time is dialled at the
 * address its configuration entry gives, and a removed member's connection is closed and its queue
 * freed. A node not (yet) in this node's configuration that dials in, such as the leader of a group this
 * node is joining, gives its address in its handshake; messages to it go there. A lost connection is redialled with exponential backoff and jitter, so a restarted peer
 * is reached again without help. Messages to a peer wait in a queue bounded in messages and bytes;
 * beyond the bound they are dropped and counted ({@link #stats()}), so a dead or slow peer can neither
 * exhaust memory nor hold up the others. Inbound messages go to the receiver on the event-loop thread.
 * See {@link RaftChannelInitializer} for the pipeline and {@code raftkit.proto} for the wire format.
 */
public final class NettyTransport implements Transport, NodeLoopHost {

    private static final Logger LOG = LoggerFactory.getLogger(NettyTransport.class);
    private static final long SHUTDOWN_TIMEOUT_MILLIS = 5_000;

    private final TransportSettings settings;
    private final TransportCounters counters = new TransportCounters();
    private final ChannelGroup inbound = new DefaultChannelGroup("raftkit-inbound", GlobalEventExecutor.INSTANCE);
    /** Replaced whole (under this object's lock), so that {@link #send} reads it without a lock. */
    private volatile Map<String, PeerLink> links = Map.of();
    /** Guarded by this: whom to reach, from the builder's members and then the node's configuration. */
    private Map<String, InetSocketAddress> members;
    /**
     * Nodes outside {@link #members} this transport answers, by id: at the address their handshake gave,
     * or, for a removed member that spoke again ({@link #departed}), at the address it had.
     */
    private final Map<String, InetSocketAddress> announced = new ConcurrentHashMap<>();
    /**
     * Members the configuration dropped, at the address they had: their connections are closed, and
     * they are answered again (as an announced node) only once they speak to this node. A removed voter
     * that stands for election is told by the leader that its removal committed, and stops.
     */
    private final Map<String, InetSocketAddress> departed = new ConcurrentHashMap<>();
    private volatile boolean started;
    private volatile Receiver receiver;
    private volatile boolean closed;
    private EventLoops loops;
    private Channel server;
    /** The I/O thread the node may run its loop on (see {@link #nodeLoop}); set at start. */
    private volatile ScheduledExecutorService nodeLoop;

    NettyTransport(TransportSettings settings) {
        this.settings = settings;
        this.members = settings.members();
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
        this.receiver = receiver;
        InboundDispatcher dispatcher = new InboundDispatcher(settings.nodeId(), m -> {
            heardFrom(m.from());
            receiver.receive(m);
        }, counters);
        RaftChannelInitializer accepting = RaftChannelInitializer.accepting(settings, counters, dispatcher,
                this::announced);
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
        if (settings.hostNodeLoop()) {
            nodeLoop = loops.group().next();
        }
        started = true;
        relink();
        LOG.info("transport of {} listening on {} ({}, TLS {})", settings.nodeId(), settings.bindAddress(),
                loops.kind(), settings.tls() == null ? "off" : "on");
    }

    /**
     * One of this transport's I/O threads, for the node's event loop (unless built with
     * {@code hostNodeLoop(false)}); null before {@link #start}. With one I/O thread every connection is
     * served there, so no message crosses a thread between the socket and the node.
     */
    @Override
    public ScheduledExecutorService nodeLoop() {
        return nodeLoop;
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
        if (link == null && started && !closed && announced.containsKey(message.to())
                && message.from().equals(settings.nodeId())) {
            link = linkToAnnounced(message.to());
        }
        if (link == null) {
            counters.sendDropped.increment();
            return;
        }
        link.enqueue(message);
    }

    /**
     * Makes {@code addresses} (node id to {@code host:port}) the nodes this transport reaches: it dials
     * nodes it did not reach, redials one whose address changed, and closes the connection to a node no
     * longer listed, discarding what was queued for it. This node's own entry is ignored (it does not
     * move the listening address). An address that cannot be read is logged and that node keeps the
     * address it had, if any. The node calls this with every configuration it puts in force.
     */
    @Override
    public synchronized void updateMembers(Map<String, String> addresses) {
        Map<String, InetSocketAddress> next = new LinkedHashMap<>();
        addresses.forEach((id, address) -> {
            if (id.equals(settings.nodeId())) {
                return;
            }
            try {
                next.put(id, NettyTransportBuilder.parseAddress(address));
            } catch (IllegalArgumentException e) {
                InetSocketAddress known = members.get(id);
                LOG.warn("transport of {}: member {} has an unusable address ({}); {}", settings.nodeId(), id,
                        e.getMessage(), known == null ? "it cannot be reached" : "keeping " + known);
                if (known != null) {
                    next.put(id, known);
                }
            }
        });
        next.put(settings.nodeId(), settings.bindAddress());
        for (String id : members.keySet()) {
            if (!next.containsKey(id)) {
                announced.remove(id); // removed: answered again only once it speaks (see departed)
                departed.put(id, members.get(id));
            }
        }
        departed.keySet().removeAll(next.keySet());
        members = Map.copyOf(next);
        if (started && !closed) {
            relink();
        }
    }

    /**
     * Brings {@link #links} in line with {@link #members}: keeps, opens, re-addresses and closes links.
     * A link to a node that announced itself and is no member is kept (a lagging node must still answer
     * a new member it does not know of yet).
     */
    private synchronized void relink() {
        Map<String, PeerLink> next = new LinkedHashMap<>();
        announced.forEach((id, address) -> {
            PeerLink link = links.get(id);
            if (!members.containsKey(id) && link != null && link.address().equals(address)) {
                next.put(id, link);
            }
        });
        for (Map.Entry<String, InetSocketAddress> m : members.entrySet()) {
            String id = m.getKey();
            if (id.equals(settings.nodeId())) {
                continue;
            }
            PeerLink link = links.get(id);
            if (link == null || !link.address().equals(m.getValue())) {
                link = new PeerLink(id, m.getValue(), loops, settings, counters, this::unreachable);
            }
            next.put(id, link);
        }
        for (Map.Entry<String, PeerLink> old : links.entrySet()) {
            if (next.get(old.getKey()) != old.getValue()) {
                LOG.info("transport of {}: closing the connection to {} at {} (no longer a member{})",
                        settings.nodeId(), old.getKey(), old.getValue().address(),
                        next.containsKey(old.getKey()) ? ", or moved to " + next.get(old.getKey()).address() : "");
                old.getValue().close();
            }
        }
        links = Map.copyOf(next);
    }

    /** A message came from {@code peer}: if the configuration dropped it, it is answered again. */
    private void heardFrom(String peer) {
        if (!departed.isEmpty()) {
            InetSocketAddress address = departed.remove(peer);
            if (address != null) {
                announced.putIfAbsent(peer, address);
            }
        }
    }

    /** A link lost its connection or could not open one (on the link's I/O thread). */
    private void unreachable(String peer) {
        Receiver r = receiver;
        if (r == null || closed) {
            return;
        }
        try {
            r.unreachable(peer);
        } catch (RuntimeException e) {
            LOG.error("the receiver of {} threw when told {} is unreachable", settings.nodeId(), peer, e);
        }
    }

    /** A node admitted by a handshake; remembered if it is not one this transport already reaches. */
    private void announced(String nodeId, String address, SocketAddress remote) {
        if (address.isEmpty() || links.containsKey(nodeId)) {
            return;
        }
        try {
            InetSocketAddress given = NettyTransportBuilder.parseAddress(address);
            if (given.getAddress().isAnyLocalAddress() && remote instanceof InetSocketAddress r) {
                // It listens on every interface: reach it on the one it dialled from.
                InetAddress host = r.getAddress();
                given = new InetSocketAddress(host, given.getPort());
            }
            announced.put(nodeId, given);
        } catch (IllegalArgumentException e) {
            LOG.warn("transport of {}: {} at {} gave an unusable address ({}); it cannot be answered until a"
                    + " configuration names it", settings.nodeId(), nodeId, remote, e.getMessage());
        }
    }

    private synchronized PeerLink linkToAnnounced(String nodeId) {
        PeerLink link = links.get(nodeId);
        InetSocketAddress address = announced.get(nodeId);
        if (link != null || address == null || closed) {
            return link;
        }
        LOG.info("transport of {}: reaching {} at {}, the address it gave (not in this node's configuration)",
                settings.nodeId(), nodeId, address);
        link = new PeerLink(nodeId, address, loops, settings, counters, this::unreachable);
        Map<String, PeerLink> next = new LinkedHashMap<>(links);
        next.put(nodeId, link);
        links = Map.copyOf(next);
        return link;
    }

    /**
     * Closes every connection and stops the event-loop threads; waits for them (a second call waits too,
     * unless made on one of them). Idempotent. Do not call it from the receiver: the receiver runs on
     * one of the threads this waits for.
     */
    @Override
    public void close() {
        Map<String, PeerLink> open = null;
        EventLoops group;
        synchronized (this) {
            group = loops;
            if (!closed) {
                closed = true;
                open = links;
            }
        }
        if (group == null) {
            return; // never started
        }
        if (open == null) {
            awaitStopped(group);
            return;
        }
        // Not under this object's lock: the threads this waits for take it (the node's loop runs on one
        // and reports each configuration to updateMembers, or opens a link to an announced node), and
        // would wait for it while this waits for them, for ever.
        for (PeerLink link : open.values()) {
            link.close();
        }
        server.close().syncUninterruptibly();
        inbound.close().awaitUninterruptibly();
        loops.group().shutdownGracefully(0, SHUTDOWN_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                .awaitUninterruptibly();
        LOG.info("transport of {} closed", settings.nodeId());
    }

    /** A later close() waits until the first has stopped the threads, unless it runs on one of them. */
    private static void awaitStopped(EventLoops group) {
        for (EventExecutor e : group.group()) {
            if (e.inEventLoop()) {
                return;
            }
        }
        group.group().terminationFuture().awaitUninterruptibly();
    }

    /** The node this transport speaks for. */
    @Override
    public String nodeId() {
        return settings.nodeId();
    }

    /** The group's name, announced in every handshake. */
    public String clusterId() {
        return settings.clusterId();
    }

    /** The address this node listens on. */
    public InetSocketAddress listenAddress() {
        return settings.bindAddress();
    }

    /** The nodes it reaches now, by id (the builder's members until the node reports its configuration). */
    public synchronized Map<String, InetSocketAddress> members() {
        return members;
    }

    /** Every setting, for logs and support (no key material). */
    @Override
    public String toString() {
        return "NettyTransport{" + settings + "}";
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
