package io.raftkit.transport.netty;

import io.raftkit.core.message.Message;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/** A started {@link NettyTransport} with an inbox, for socket tests. */
final class TestNode implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final String CLUSTER = "test-cluster";

    final String id;
    final NettyTransport transport;
    final BlockingQueue<Message> inbox = new LinkedBlockingQueue<>();

    private TestNode(String id, NettyTransport transport) {
        this.id = id;
        this.transport = transport;
    }

    static TestNode start(String id, Map<String, String> members) {
        return start(id, members, b -> b);
    }

    static TestNode start(String id, Map<String, String> members, UnaryOperator<NettyTransportBuilder> settings) {
        NettyTransportBuilder builder = NettyTransport.builder().nodeId(id).clusterId(CLUSTER).members(members);
        TestNode node = new TestNode(id, settings.apply(builder).build());
        node.transport.start(node.inbox::add);
        return node;
    }

    /** The next inbound message, or null after {@link #WAIT}. */
    Message poll() throws InterruptedException {
        return inbox.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    TransportStats stats() {
        return transport.stats();
    }

    @Override
    public void close() {
        transport.close();
    }
}
