package io.raftkit.transport.netty;

import io.raftkit.transport.netty.wire.Frame;
import io.raftkit.transport.netty.wire.Handshake;
import java.net.InetSocketAddress;

/** The protocol version this node speaks and the handshake frame that announces it. */
final class WireProtocol {

    /** Bumped by any wire change an older node cannot read; see {@code raftkit.proto}. */
    static final int VERSION = 1;

    private WireProtocol() {}

    /** The first frame a dialling node sends. */
    static Frame handshake(String clusterId, String nodeId, String address) {
        return Frame.newBuilder()
                .setHandshake(Handshake.newBuilder().setProtocolVersion(VERSION).setClusterId(clusterId)
                        .setNodeId(nodeId).setAddress(address))
                .build();
    }

    /** {@code host:port}, or {@code [v6]:port}: the form {@link NettyTransportBuilder#parseAddress} reads. */
    static String format(InetSocketAddress address) {
        String host = address.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
