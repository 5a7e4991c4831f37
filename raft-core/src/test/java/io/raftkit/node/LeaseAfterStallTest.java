package io.raftkit.node;

import static io.raftkit.node.TestKv.put;
import static io.raftkit.node.TestKv.str;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.core.RaftRole;
import io.raftkit.testkit.TestCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The stale lease read after a stall (issue: a leader process stopped with SIGSTOP, cut off, resumed):
 * reproduced on real {@link RaftNode}s with a clock per node moved by hand. The old leader's clock
 * stands still while the others elect a new leader and commit a write; then it jumps forward by the
 * whole stall, and a lease read arrives at once. The loop used to serve it before delivering the ticks
 * that fell due in the stall, from a lease counted in ticks that never came: the old value.
 */
class LeaseAfterStallTest {

    private static final byte[] KEY = "k".getBytes(StandardCharsets.UTF_8);

    @Test
    void aLeaderResumingFromAStallDoesNotServeALeaseReadFromBeforeIt() throws Exception {
        NodeOptions options = NodeOptions.builder()
                .raft(io.raftkit.core.RaftConfig.builder().electionTicks(10).heartbeatTicks(1).build())
                .tickInterval(Duration.ofMillis(10))
                .requestTimeout(Duration.ofSeconds(2))
                .closeTransferTimeout(Duration.ZERO) // frozen clocks: a hand-over at teardown would only wait
                .build();
        try (TestCluster<TestKv> c = TestCluster.builder(TestKv::new).options(options).manualClocks().build()) {
            c.advanceUntil(c.ids(), "a leader", () -> leaderAmong(c, c.ids()) != null);
            String old = leaderAmong(c, c.ids());
            List<String> others = c.ids().stream().filter(id -> !id.equals(old)).toList();
            await(c, c.ids(), c.node(old).submit(put("k", "old")));
            assertThat(str(await(c, c.ids(), c.node(old).query(KEY, ReadConsistency.LEASE)))).isEqualTo("old");

            // The old leader's process stops (its clock stands still) and it is cut off.
            c.network().isolate(old, Set.copyOf(c.ids()));
            long before = c.clock(others.get(0)).nanoTime();
            c.advanceUntil(others, "a new leader among " + others, () -> leaderAmong(c, others) != null);
            String fresh = leaderAmong(c, others);
            await(c, others, c.node(fresh).submit(put("k", "new")));
            long stalled = c.clock(others.get(0)).nanoTime() - before;

            // It resumes, still cut off: its clock catches up with the stall, and a lease read is waiting.
            c.clock(old).advance(Duration.ofNanos(stalled));
            CompletableFuture<byte[]> read = c.node(old).query(KEY, ReadConsistency.LEASE);
            String answer;
            try {
                answer = str(await(c, List.of(old), read));
            } catch (ExecutionException e) {
                answer = "failed: " + e.getCause();
            }
            assertThat(answer).as("a lease read on %s after a stall of %d ms, while %s committed k=new", old,
                    stalled / 1_000_000, fresh).isNotEqualTo("old");
        }
    }

    private static String leaderAmong(TestCluster<TestKv> c, List<String> ids) {
        for (String id : ids) {
            NodeStatus s = c.node(id).status();
            if (s.role() == RaftRole.LEADER && ids.stream().allMatch(o -> id.equals(c.node(o).status().leader()))) {
                return id;
            }
        }
        return null;
    }

    /** Waits for {@code f}, moving the clocks of {@code ids} on meanwhile (request deadlines run on them). */
    private static byte[] await(TestCluster<TestKv> c, List<String> ids, CompletableFuture<byte[]> f) throws Exception {
        c.advanceUntil(ids, "an answer", f::isDone);
        return f.get(1, TimeUnit.SECONDS);
    }
}
