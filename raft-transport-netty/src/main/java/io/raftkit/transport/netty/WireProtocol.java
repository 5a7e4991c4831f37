package io.raftkit.transport.netty;

import io.raftkit.transport.netty.wire.Frame;
import io.raftkit.transport.netty.wire.Handshake;

/** The protocol version this node speaks and the handshake frame that announces it. */
final class WireProtocol {

    /** Bumped by any wire change an older node cannot read; see {@code raftkit.proto}. */
    static final int VERSION = 1;

    private WireProtocol() {}

    /** The first frame a dialling node sends. */
    static Frame handshake(String clusterId, String nodeId) {
        return Frame.newBuilder()
                .setHandshake(Handshake.newBuilder().setProtocolVersion(VERSION).setClusterId(clusterId)
                        .setNodeId(nodeId))
                .build();
    }
}
