package io.raftkit.transport.netty;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;

/** The validated settings of one {@link NettyTransport}; made only by {@link NettyTransportBuilder#build()}. */
record TransportSettings(
        String nodeId,
        String clusterId,
        Map<String, InetSocketAddress> members,
        int maxFrameBytes,
        int maxQueuedMessages,
        long maxQueuedBytes,
        Duration connectTimeout,
        Duration minReconnectDelay,
        Duration maxReconnectDelay,
        Duration handshakeTimeout,
        int ioThreads,
        TlsConfig tls,
        boolean epollAllowed,
        boolean hostNodeLoop) {

    InetSocketAddress bindAddress() {
        return members.get(nodeId);
    }

    @Override
    public String toString() {
        return "nodeId=" + nodeId + ", clusterId=" + clusterId + ", listen=" + bindAddress() + ", members="
                + members + ", maxFrameBytes=" + maxFrameBytes + ", maxQueuedMessages=" + maxQueuedMessages
                + ", maxQueuedBytes=" + maxQueuedBytes + ", connectTimeout=" + connectTimeout
                + ", reconnectDelay=" + minReconnectDelay + ".." + maxReconnectDelay + ", handshakeTimeout="
                + handshakeTimeout + ", ioThreads=" + ioThreads + ", tls=" + (tls == null ? "off" : "on")
                + ", epoll=" + (epollAllowed ? "when available" : "off") + ", hostNodeLoop=" + hostNodeLoop;
    }
}
