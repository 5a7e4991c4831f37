package io.raftkit.node;

import static io.raftkit.node.TestKv.put;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.testkit.TestCluster;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** With a completion executor, a caller's slow callback does not hold up applying for everyone. */
class CompletionExecutorTest {

    @Test
    void aBlockedCallbackDoesNotStopLaterWritesFromCompleting() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2, r -> new Thread(r, "caller-completions"));
        CountDownLatch release = new CountDownLatch(1);
        // Completions wait until the callback is attached: a future already complete would run it on the
        // caller's thread instead.
        CountDownLatch attached = new CountDownLatch(1);
        Executor completions = task -> pool.execute(() -> {
            awaitQuietly(attached);
            task.run();
        });
        try (TestCluster<TestKv> c = TestCluster.builder(TestKv::new).options(TestCluster.fastOptions(100_000)).completionExecutor(completions).build()) {
            String leader = c.awaitLeader();
            CompletableFuture<String> blockedOn = new CompletableFuture<>();
            c.node(leader).submit(put("a", "1")).thenRun(() -> {
                blockedOn.complete(Thread.currentThread().getName());
                awaitQuietly(release); // a callback that blocks: on the apply thread this would stall the node
            });
            attached.countDown();
            assertThat(blockedOn.get(20, TimeUnit.SECONDS)).isEqualTo("caller-completions");
            // While that callback blocks, the node goes on applying and answering.
            assertThat(c.node(leader).submit(put("b", "2")).get(20, TimeUnit.SECONDS)).isNotNull();
            assertThat(TestKv.str(c.node(leader).query("b".getBytes()).get(20, TimeUnit.SECONDS))).isEqualTo("2");
        } finally {
            attached.countDown();
            release.countDown();
            pool.shutdown();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
