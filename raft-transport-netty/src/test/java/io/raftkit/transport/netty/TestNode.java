package io.raftkit.transport.netty;

import io.raftkit.core.Transport;
import io.raftkit.core.message.Heartbeat;
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
    /** The peers the transport reported unreachable, in order. */
    final BlockingQueue<String> unreachable = new LinkedBlockingQueue<>();

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
        node.transport.start(new Transport.Receiver() {
            @Override
            public void receive(Message message) {
                node.inbox.add(message);
            }

            @Override
            public void unreachable(String peer) {
                node.unreachable.add(peer);
            }
        });
        return node;
    }

    /** The next inbound message, or null after {@link #WAIT}. */
    Message poll() throws InterruptedException {
        return inbox.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Sends heartbeats, as Raft would, until one arrives: the sender may drop while it reconnects. */
    static Message sendUntilDelivered(TestNode from, TestNode to) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        for (long i = 1; System.nanoTime() < deadline; i++) {
            from.transport.send(new Heartbeat(from.id, to.id, 1, i, 0));
            Message m = to.inbox.poll(20, TimeUnit.MILLISECONDS);
            if (m != null) {
                return m;
            }
        }
        return null;
    }

    TransportStats stats() {
        return transport.stats();
    }

    @Override
    public void close() {
        transport.close();
    }
}
