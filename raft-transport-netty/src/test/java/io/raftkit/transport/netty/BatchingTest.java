package io.raftkit.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.EventExecutor;
import io.raftkit.core.message.Heartbeat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchingTest {

    private final Map<String, String> members = LoopbackPorts.members(List.of("n1", "n2"));
    private TestNode n1;
    private TestNode n2;

    @AfterEach
    void closeAll() {
        n1.close();
        n2.close();
    }

    @Test
    void aBurstIsWrittenWithOneFlushPerBatchNotPerMessage() throws Exception {
        n1 = TestNode.start("n1", members);
        n2 = TestNode.start("n2", members);
        n1.transport.send(new Heartbeat("n1", "n2", 1, 0, 0));
        assertThat(n2.poll()).isNotNull();
        long flushesBefore = n1.stats().peers().get("n2").flushes();

        // Hold n1's event loops so that the whole burst is queued before the link can drain it.
        CountDownLatch release = new CountDownLatch(1);
        List<CountDownLatch> held = new ArrayList<>();
        for (EventExecutor loop : n1.transport.eventLoops().group()) {
            CountDownLatch running = new CountDownLatch(1);
            held.add(running);
            loop.execute(() -> {
                running.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        for (CountDownLatch running : held) {
            assertThat(running.await(TestNode.WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        }
        int burst = 1000;
        for (int i = 1; i <= burst; i++) {
            n1.transport.send(new Heartbeat("n1", "n2", 1, i, 0));
        }
        release.countDown();
        for (int i = 1; i <= burst; i++) {
            assertThat(n2.poll()).as("message %d", i).isNotNull();
        }
        long flushes = n1.stats().peers().get("n2").flushes() - flushesBefore;
        assertThat(flushes).as("flushes for a burst of %d", burst).isBetween(1L, 5L);
    }
}
