package io.raftkit.transport.netty;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Configures a {@link NettyTransport}. Node id, cluster id and members are required; everything else
 * has a default. {@link #build()} checks everything at once and names every problem it finds.
 */
public final class NettyTransportBuilder {

    private String nodeId;
    private String clusterId;
    private Map<String, String> members;
    private int maxFrameBytes = 16 * 1024 * 1024;
    private int maxQueuedMessages = 4096;
    private long maxQueuedBytes = 64L * 1024 * 1024;
    private Duration connectTimeout = Duration.ofSeconds(3);
    private Duration minReconnectDelay = Duration.ofMillis(50);
    private Duration maxReconnectDelay = Duration.ofSeconds(2);
    private Duration handshakeTimeout = Duration.ofSeconds(10);
    private int ioThreads = 1;
    private TlsConfig tls;
    private boolean epollAllowed = true;
    private boolean hostNodeLoop = true;
    private boolean built;

    NettyTransportBuilder() {}

    /** This node's id; must be one of the members. */
    public NettyTransportBuilder nodeId(String nodeId) {
        this.nodeId = nodeId;
        return this;
    }

    /** The group's name. Connections from nodes with another cluster id are refused. */
    public NettyTransportBuilder clusterId(String clusterId) {
        this.clusterId = clusterId;
        return this;
    }

    /**
     * Every member's Raft address as {@code host:port} ({@code [v6]:port} for IPv6), this node included:
     * its own entry is the address the server binds.
     */
    public NettyTransportBuilder members(Map<String, String> members) {
        this.members = members == null ? null : new LinkedHashMap<>(members);
        return this;
    }

    /** The largest frame accepted or sent, in bytes (default 16 MiB). Larger frames close the connection. */
    public NettyTransportBuilder maxFrameBytes(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
        return this;
    }

    /** Per peer, the most messages waiting to be written (default 4096); beyond it sends are dropped. */
    public NettyTransportBuilder maxQueuedMessages(int maxQueuedMessages) {
        this.maxQueuedMessages = maxQueuedMessages;
        return this;
    }

    /** Per peer, the most payload bytes waiting to be written (default 64 MiB); beyond it sends are dropped. */
    public NettyTransportBuilder maxQueuedBytes(long maxQueuedBytes) {
        this.maxQueuedBytes = maxQueuedBytes;
        return this;
    }

    /** How long one connection attempt may take (default 3 s). */
    public NettyTransportBuilder connectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
        return this;
    }

    /** The first delay before reconnecting to a peer (default 50 ms); it doubles, with jitter, per failure. */
    public NettyTransportBuilder minReconnectDelay(Duration minReconnectDelay) {
        this.minReconnectDelay = minReconnectDelay;
        return this;
    }

    /** The cap on the reconnect delay (default 2 s). */
    public NettyTransportBuilder maxReconnectDelay(Duration maxReconnectDelay) {
        this.maxReconnectDelay = maxReconnectDelay;
        return this;
    }

    /** How long an accepted connection may take to send its handshake (default 10 s). */
    public NettyTransportBuilder handshakeTimeout(Duration handshakeTimeout) {
        this.handshakeTimeout = handshakeTimeout;
        return this;
    }

    /**
     * Event-loop threads for all of this node's connections (default 1). One suffices for the few
     * connections of a group, and with the node's loop on it ({@link #hostNodeLoop}) no message crosses a
     * thread; a second thread serves half the connections and hands their messages over.
     */
    public NettyTransportBuilder ioThreads(int ioThreads) {
        this.ioThreads = ioThreads;
        return this;
    }

    /**
     * Whether the node runs its event loop on one of this transport's I/O threads ({@code nodeLoop()};
     * default true): messages in and out then cross no thread on their way, which saves a wake-up of
     * another thread per message. False: the node keeps a thread of its own for its loop.
     */
    public NettyTransportBuilder hostNodeLoop(boolean hostNodeLoop) {
        this.hostNodeLoop = hostNodeLoop;
        return this;
    }

    /** Mutual TLS for every connection; none (plain TCP) by default. */
    public NettyTransportBuilder tls(TlsConfig tls) {
        this.tls = tls;
        return this;
    }

    /** Tests use NIO even where epoll is available, to cover the portable path. */
    NettyTransportBuilder epollAllowed(boolean epollAllowed) {
        this.epollAllowed = epollAllowed;
        return this;
    }

    /**
     * The transport, not yet started.
     *
     * @throws IllegalArgumentException naming every invalid setting
     * @throws IllegalStateException on a second call
     */
    public NettyTransport build() {
        if (built) {
            throw new IllegalStateException("this builder already built a NettyTransport");
        }
        List<String> problems = new ArrayList<>();
        Map<String, InetSocketAddress> addresses = new LinkedHashMap<>();
        if (isBlank(nodeId)) {
            problems.add("nodeId is not set");
        }
        if (isBlank(clusterId)) {
            problems.add("clusterId is not set");
        }
        if (members == null || members.isEmpty()) {
            problems.add("members is not set");
        } else {
            members.forEach((id, address) -> {
                if (isBlank(id)) {
                    problems.add("a member id is blank");
                    return;
                }
                try {
                    addresses.put(id, parseAddress(address));
                } catch (IllegalArgumentException e) {
                    problems.add("member " + id + ": " + e.getMessage());
                }
            });
            if (!isBlank(nodeId) && !members.containsKey(nodeId)) {
                problems.add("members " + members.keySet() + " do not include nodeId '" + nodeId
                        + "' (its entry is the address to listen on)");
            }
        }
        if (problems.isEmpty()) {
            for (String id : members.keySet()) {
                // A member's handshake carries its id and its address (at most a full DNS name and a port).
                String longestAddress = "[" + "x".repeat(253) + "]:65535";
                if (WireProtocol.handshake(clusterId, id, longestAddress).getSerializedSize()
                        > FrameDecoder.MAX_HANDSHAKE_BYTES) {
                    problems.add("clusterId and member id '" + id + "' are too long for a handshake of at most "
                            + FrameDecoder.MAX_HANDSHAKE_BYTES + " bytes");
                }
            }
        }
        if (maxFrameBytes < 1024 || maxFrameBytes > 1 << 30) {
            problems.add("maxFrameBytes must be between 1 KiB and 1 GiB, got " + maxFrameBytes);
        }
        if (maxQueuedMessages < 1) {
            problems.add("maxQueuedMessages must be at least 1, got " + maxQueuedMessages);
        }
        if (maxQueuedBytes < 1) {
            problems.add("maxQueuedBytes must be at least 1, got " + maxQueuedBytes);
        }
        requirePositive("connectTimeout", connectTimeout, problems);
        requirePositive("minReconnectDelay", minReconnectDelay, problems);
        requirePositive("maxReconnectDelay", maxReconnectDelay, problems);
        requirePositive("handshakeTimeout", handshakeTimeout, problems);
        if (problems.isEmpty() && maxReconnectDelay.compareTo(minReconnectDelay) < 0) {
            problems.add("maxReconnectDelay " + maxReconnectDelay + " is below minReconnectDelay " + minReconnectDelay);
        }
        if (ioThreads < 1) {
            problems.add("ioThreads must be at least 1, got " + ioThreads);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid NettyTransport settings: " + String.join("; ", problems));
        }
        built = true;
        return new NettyTransport(new TransportSettings(nodeId, clusterId, Collections.unmodifiableMap(addresses),
                maxFrameBytes, maxQueuedMessages, maxQueuedBytes, connectTimeout, minReconnectDelay,
                maxReconnectDelay, handshakeTimeout, ioThreads, tls, epollAllowed, hostNodeLoop));
    }

    /** Parses {@code host:port} or {@code [v6]:port}. */
    static InetSocketAddress parseAddress(String address) {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("address is blank");
        }
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw new IllegalArgumentException("address '" + address + "' is not host:port");
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("address '" + address + "' has no numeric port");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("address '" + address + "' has port outside 1..65535");
        }
        InetSocketAddress resolved = new InetSocketAddress(host, port);
        if (resolved.isUnresolved()) {
            throw new IllegalArgumentException("host '" + host + "' cannot be resolved");
        }
        return resolved;
    }

    private static void requirePositive(String name, Duration d, List<String> problems) {
        if (d == null || d.isNegative() || d.isZero()) {
            problems.add(name + " must be positive, got " + d);
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
