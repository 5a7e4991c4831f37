package io.raftkit.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.core.Transport;
import io.raftkit.core.message.Heartbeat;
import io.raftkit.core.message.Message;
import io.raftkit.testkit.memory.InMemoryLogStorage;
import io.raftkit.testkit.memory.InMemorySnapshotStore;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A node's event loop can fail (a storage or transport error) while the node is being closed, and the
 * close waits, inside the transport's {@code close()}, for the thread the loop runs on. Were the close to
 * hold a lock the failing loop takes to report its failure, neither would ever return: a process stopped
 * with SIGTERM would hang.
 */
class CloseWhileTheLoopFailsTest {

    private static final long WAIT_SECONDS = 20;

    @Test
    void closeEndsWhenTheLoopItWaitsForFailsMeanwhile() throws Exception {
        HostingTransport transport = new HostingTransport();
        RaftNode node = RaftNode.builder().id("n1").members(Map.of("n1", "mem:n1", "n2", "mem:n2"))
                .stateMachine(new TestKv()).transport(transport).logStorage(new InMemoryLogStorage())
                .snapshotStore(new InMemorySnapshotStore()).seed(1).build();
        node.start();
        Thread closer = new Thread(node::close, "closer");
        closer.start();
        closer.join(TimeUnit.SECONDS.toMillis(3 * WAIT_SECONDS));

        assertThat(transport.sendFailed.getCount()).as("the loop's send failed during the close").isZero();
        assertThat(closer.isAlive()).as("close() still waiting").isFalse();
        assertThat(transport.hostStopped).as("the loop's thread ended within the transport's close()").isTrue();
        assertThat(node.isRunning()).isFalse();
    }

    /**
     * Hosts the node's loop on a thread of its own, as the Netty transport does, and waits in
     * {@code close()} until that thread has ended. While closing it hands the node a heartbeat, whose
     * answer it then refuses to send by throwing: the loop fails while the close waits for it.
     */
    private static final class HostingTransport implements Transport, NodeLoopHost {
        private final ScheduledExecutorService host = Executors.newSingleThreadScheduledExecutor();
        private final CountDownLatch sendFailed = new CountDownLatch(1);
        private volatile Receiver receiver;
        private volatile boolean closing;
        private volatile boolean hostStopped;

        @Override
        public ScheduledExecutorService nodeLoop() {
            return host;
        }

        @Override
        public void start(Receiver r) {
            receiver = r;
        }

        @Override
        public void send(Message message) {
            if (closing) {
                sendFailed.countDown();
                throw new IllegalStateException("injected: the transport is closing");
            }
        }

        @Override
        public void close() {
            closing = true;
            receiver.receive(new Heartbeat("n2", "n1", 1, 0, 0));
            try {
                sendFailed.await(WAIT_SECONDS, TimeUnit.SECONDS);
                host.shutdown();
                hostStopped = host.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
