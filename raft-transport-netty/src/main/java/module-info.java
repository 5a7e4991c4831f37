/**
 * RaftKit's Netty transport. Exports {@code io.raftkit.transport.netty} (the transport, its builder, TLS
 * settings and statistics); the generated wire classes stay inside, open to protobuf's reflection.
 */
module io.raftkit.transport.netty {
    requires transitive io.raftkit.core;
    requires org.slf4j;
    requires com.google.protobuf;
    requires io.netty.buffer;
    requires io.netty.codec;
    requires io.netty.common;
    requires io.netty.handler;
    requires io.netty.transport;
    requires io.netty.transport.classes.epoll;

    exports io.raftkit.transport.netty;

    opens io.raftkit.transport.netty.wire to com.google.protobuf;
}
