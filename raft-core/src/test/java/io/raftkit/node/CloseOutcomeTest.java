package io.raftkit.node;

import static io.raftkit.node.TestKv.put;
import static io.raftkit.node.TestKv.str;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.testkit.TestCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A write its leader accepted may commit without that leader: when the leader closes first, the write's
 * failure must say it may have taken effect. Found by the kvstore's rolling-restart test (a write
 * answered 503 "nothing was done" was then read back); this is its schedule, made deterministic.
 */
class CloseOutcomeTest {

    @Test
    void aWriteAcceptedByALeaderThatClosesBeforeLearningItsCommitMayHaveTakenEffectAndDoes() throws Exception {
        NodeOptions options = NodeOptions.builder()
                .raft(TestCluster.fastOptions(100_000).raft()).tickInterval(Duration.ofMillis(10))
                .requestTimeout(Duration.ofSeconds(20)).closeTransferTimeout(Duration.ZERO).build();
        try (TestCluster<TestKv> c = TestCluster.builder(TestKv::new).options(options).build()) {
            String leader = c.awaitLeader();
            c.node(leader).submit(put("x", "0")).get(20, TimeUnit.SECONDS);
            // The followers take the leader's appends, but their answers never reach it: the write is on
            // a majority of logs while the leader cannot know it is committed.
            for (String id : c.ids()) {
                if (!id.equals(leader)) {
                    c.network().cut(id, leader);
                }
            }
            long before = c.logStorage(leader).lastIndex();
            CompletableFuture<byte[]> write = c.node(leader).submit(put("x", "1"));
            long written = before + 1;
            TestCluster.await("the followers holding the write", () -> c.ids().stream()
                    .allMatch(id -> c.logStorage(id).lastIndex() >= written));

            c.crash(leader);
            Throwable failure = failureOf(write);
            assertThat(failure).isInstanceOf(RaftException.class);
            assertThat(((RaftException) failure).mayHaveTakenEffect())
                    .as("the failure of an accepted write (%s)", failure).isTrue();

            String next = c.awaitLeader();
            byte[] x = c.node(next).query("x".getBytes(StandardCharsets.UTF_8)).get(20, TimeUnit.SECONDS);
            assertThat(str(x)).as("the write took effect after all").isEqualTo("1");
        }
    }

    private static Throwable failureOf(CompletableFuture<byte[]> f) throws Exception {
        try {
            f.get(20, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }
}
