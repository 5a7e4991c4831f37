package io.raftkit.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.core.message.Heartbeat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The I/O thread a node may run its event loop on ({@code NodeLoopHost.nodeLoop()}). */
class NodeLoopTest {

    private final Map<String, String> members = LoopbackPorts.members(List.of("n1", "n2"));

    @Test
    void withOneIoThreadMessagesArriveOnTheThreadTheNodeLoopRunsOn() throws Exception {
        CompletableFuture<Thread> deliveredOn = new CompletableFuture<>();
        try (TestNode n1 = TestNode.start("n1", members, b -> b.ioThreads(1));
             NettyTransport n2 = NettyTransport.builder().nodeId("n2").clusterId(TestNode.CLUSTER).members(members)
                     .ioThreads(1).build()) {
            n2.start(m -> deliveredOn.complete(Thread.currentThread()));
            ScheduledExecutorService loop = n2.nodeLoop();
            assertThat(loop).as("n2's node loop").isNotNull();
            Thread loopThread = CompletableFuture.supplyAsync(Thread::currentThread, loop).get(10, TimeUnit.SECONDS);
            n1.transport.send(new Heartbeat("n1", "n2", 1, 0, 1));
            assertThat(deliveredOn.get(20, TimeUnit.SECONDS)).as("the thread n2 received on").isSameAs(loopThread);
        }
    }

    /**
     * The node's loop tells the transport of each configuration it puts in force, on the I/O thread
     * {@code close()} waits for: were {@code close()} to hold the lock {@code updateMembers} takes while
     * it waits, neither would ever return (a process stopped with SIGTERM hung so).
     */
    @Test
    void closeEndsWhileTheNodeLoopUpdatesMembers() throws Exception {
        NettyTransport t = NettyTransport.builder().nodeId("n1").clusterId(TestNode.CLUSTER).members(members)
                .ioThreads(1).build();
        t.start(m -> {});
        Thread closer = new Thread(t::close, "closer");
        CompletableFuture<Void> loopTurn = CompletableFuture.runAsync(() -> {
            // Until close() waits: for this thread, which serves the listening socket it closes.
            Await.until("close() to wait", () -> closer.getState() == Thread.State.WAITING
                    || closer.getState() == Thread.State.TIMED_WAITING);
            t.updateMembers(members);
        }, t.nodeLoop());
        closer.start();
        closer.join(TestNode.WAIT.toMillis());
        assertThat(closer.isAlive()).as("close() still waiting after " + TestNode.WAIT).isFalse();
        loopTurn.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aTransportBuiltNotToHostTheNodeLoopOffersNone() {
        try (TestNode n1 = TestNode.start("n1", members, b -> b.hostNodeLoop(false))) {
            assertThat(n1.transport.nodeLoop()).isNull();
        }
    }

    @Test
    void beforeItStartsATransportOffersNoNodeLoop() {
        try (NettyTransport t = NettyTransport.builder().nodeId("n1").clusterId(TestNode.CLUSTER).members(members)
                .build()) {
            assertThat(t.nodeLoop()).isNull();
        }
    }
}
