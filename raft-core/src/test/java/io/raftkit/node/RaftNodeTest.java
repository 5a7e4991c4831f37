package io.raftkit.node;

import static io.raftkit.node.TestKv.put;
import static io.raftkit.node.TestKv.str;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkit.core.RaftRole;
import io.raftkit.testkit.TestCluster;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** RaftNode end to end over in-memory transport and storage: real threads, real timing. */
class RaftNodeTest {

    private static byte[] get(CompletableFuture<byte[]> f) throws Exception {
        return f.get(20, TimeUnit.SECONDS);
    }

    private static Throwable failureOf(CompletableFuture<byte[]> f) throws InterruptedException {
        try {
            f.get(20, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("future did not complete", e);
        }
    }

    private static byte[] q(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aWriteOnTheLeaderIsCommittedAppliedAndAnsweredWithTheResult() throws Exception {
        try (TestCluster<TestKv> c = TestCluster.builder(TestKv::new).build()) {
            String leader = c.awaitLeader();
            assertThat(str(get(c.node(leader).submit(put("k", "v1"))))).isEmpty();
            assertThat(str(get(c.node(leader).submit(put("k", "v2"))))).isEqualTo("v1");
            assertThat(c.stateMachine(leader).copy()).containsEntry("k", "v2");
        }
    }

    @Test
    void aWriteOnAFollowerIsForwardedAndAnsweredWithTheResult() throws Exception {
        try (TestCluster<TestKv> c = TestCluster.builder(TestKv::new).build()) {
            String leader = c.awaitLeader();
            String follower = c.ids().stream().filter(id -> !id.equals(leader)).findFirst().get();
            assertThat(str(get(c.node(follower).submit(put("a", "1"))))).isEmpty();
            assertThat(str(get(c.node(follower).submit(put("a", "2"))))).isEqualTo("1");
            // The follower applied it before answering: it reads its own write locally.
            assertThat(str(get(c.node(follower).query(q("a"), ReadConsistency.STALE)))).isEqualTo("2");
        }
    }

    @Test
    void everyReadConsistencySeesACompletedWrite() throws Exception {
        try (TestCluster<TestKv> c = TestCluster.builder(TestKv::new).build()) {
            String leader = c.awaitLeader();
            get(c.node(leader).submit(put("x", "42")));
            for (String id : c.ids()) {
                assertThat(str(get(c.node(id).query(q("x"))))).as("linearizable on %s", id).isEqualTo("42");
                assertThat(str(get(c.node(id).query(q("x"), ReadConsistency.LEASE)))).as("lease on %s", id)
                        .isEqualTo("42");
            }
            assertThat(str(get(c.node(leader).query(q("x"), ReadConsistency.STALE)))).isEqualTo("42");
        }
    }

    @Test
    void aLinearizableReadOnAFollowerWaitsUntilItHasAppliedTheReadIndex() throws Exception {
        try (TestCluster<TestKv> c = TestCluster.builder(TestKv::new).build()) {
            String leader = c.awaitLeader();
            String follower = c.ids().stream().filter(id -> !id.equals(leader)).findFirst().get();
            for (int i = 0; i < 50; i++) {
                c.node(leader).submit(put("seq", Integer.toString(i)));
            }
            get(c.node(leader).submit(put("seq", "last")));
            assertThat(str(get(c.node(follower).query(q("seq"))))).isEqualTo("last");
        }
    }

    @Test
    void theLeaderClosedWithWritesInFlightLosesNoAcknowledgedWrite() throws Exception {
        try (TestCluster<TestKv> c = TestCluster.builder(TestKv::new).build()) {
            String leader = c.awaitLeader();
            String follower = c.ids().stream().filter(id -> !id.equals(leader)).findFirst().get();
            List<CompletableFuture<byte[]>> writes = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                writes.add(c.node(i % 2 == 0 ? leader : follower).submit(put("k" + i, "v" + i)));
            }
            get(writes.get(100));
            c.crash(leader); // many of the rest are still in flight
            String newLeader = c.awaitLeader();
            assertThat(newLeader).isNotEqualTo(leader);
            for (int i = 300; i < 600; i++) {
                writes.add(c.node(follower).submit(put("k" + i, "v" + i)));
            }
            for (int i = 300; i < 600; i++) {
                get(writes.get(i)); // writes after the failover succeed
            }
            List<Integer> acknowledged = new ArrayList<>();
            for (int i = 0; i < writes.size(); i++) {
                Throwable t = failureOf(writes.get(i));
                if (t == null) {
                    acknowledged.add(i);
                } else {
                    assertThat(t).isInstanceOf(RaftException.class);
                }
            }
            assertThat(acknowledged).hasSizeGreaterThan(300);
            get(c.node(newLeader).submit(put("barrier", "1")));
            c.awaitApplied(c.node(newLeader).status().commitIndex());
            for (String id : c.ids()) {
                if (!c.node(id).isRunning()) {
                    continue;
                }
                Map<String, String> state = c.stateMachine(id).copy();
                for (int i : acknowledged) {
                    assertThat(state).as("acknowledged write %d on %s", i, id).containsEntry("k" + i, "v" + i);
                }
            }
        }
    }

    @Test
    void aRestartedFollowerCatchesUpFromTheLog() throws Exception {
        try (TestCluster<TestKv> c = TestCluster.builder(TestKv::new).build()) {
            String leader = c.awaitLeader();
            String follower = c.ids().stream().filter(id -> !id.equals(leader)).findFirst().get();
            c.crash(follower);
            for (int i = 0; i < 100; i++) {
                get(c.node(leader).submit(put("k" + i, "v" + i)));
            }
            c.restart(follower);
            long target = c.node(leader).status().commitIndex();
            c.awaitApplied(target);
            assertThat(c.stateMachine(follower).copy()).isEqualTo(c.stateMachine(leader).copy());
        }
    }

    @Test
    void aFollowerTooFarBehindCatchesUpFromASnapshotAfterCompaction() throws Exception {
        try (TestCluster<TestKv> c = TestCluster.builder(TestKv::new).options(TestCluster.fastOptions(20)).build()) {
            String leader = c.awaitLeader();
            String follower = c.ids().stream().filter(id -> !id.equals(leader)).findFirst().get();
            c.crash(follower);
            for (int i = 0; i < 150; i++) {
                get(c.node(leader).submit(put("k" + i, "value-" + i + "-" + "x".repeat(40))));
            }
            TestCluster.await("the leader compacting its log", () -> c.node(leader).status().lastSnapshotIndex() > 100);
            c.restart(follower);
            long target = c.node(leader).status().commitIndex();
            c.awaitApplied(target);
            assertThat(c.stateMachine(follower).copy()).isEqualTo(c.stateMachine(leader).copy());
            assertThat(c.node(follower).status().lastSnapshotIndex()).isGreaterThan(0);
            // And it keeps following from the log afterwards.
            get(c.node(leader).submit(put("after", "snapshot")));
            c.awaitApplied(c.node(leader).status().commitIndex());
            assertThat(c.stateMachine(follower).copy()).containsEntry("after", "snapshot");
        }
    }

    @Test
    void aRestartedNodeRecoversFromItsSnapshotAndTheLogAfterIt() throws Exception {
        try (TestCluster<TestKv> c = TestCluster.builder(TestKv::new).options(TestCluster.fastOptions(30)).build()) {
            String leader = c.awaitLeader();
            for (int i = 0; i < 100; i++) {
                get(c.node(leader).submit(put("k" + i, "v" + i)));
            }
            String follower = c.ids().stream().filter(id -> !id.equals(leader)).findFirst().get();
            c.awaitApplied(c.node(leader).status().commitIndex());
            TestCluster.await("a snapshot on " + follower, () -> c.node(follower).status().lastSnapshotIndex() > 0);
            Map<String, String> before = c.stateMachine(follower).copy();
            c.crash(follower);
            c.restart(follower);
            c.awaitApplied(c.node(leader).status().commitIndex());
            assertThat(c.stateMachine(follower).copy()).isEqualTo(before);
        }
    }

    @Test
    void closingANodeFailsItsPendingRequests() throws Exception {
        try (TestCluster<TestKv> c = TestCluster.builder(TestKv::new).build()) {
            String leader = c.awaitLeader();
            String follower = c.ids().stream().filter(id -> !id.equals(leader)).findFirst().get();
            // Cut the follower off so its requests stay pending.
            c.network().isolate(follower, c.members().keySet());
            CompletableFuture<byte[]> w = c.node(follower).submit(put("p", "1"));
            CompletableFuture<byte[]> r = c.node(follower).query(q("p"));
            c.node(follower).close();
            assertThat(failureOf(w)).isInstanceOf(NodeClosedException.class);
            assertThat(failureOf(r)).isInstanceOf(NodeClosedException.class);
            assertThat(failureOf(c.node(follower).submit(put("p", "2")))).isInstanceOf(NodeClosedException.class);
        }
    }

    @Test
    void aPayloadOverTheLimitIsRejectedAtOnce() throws Exception {
        NodeOptions small = NodeOptions.builder().maxCommandBytes(100).tickInterval(java.time.Duration.ofMillis(10))
                .requestTimeout(java.time.Duration.ofSeconds(5)).build();
        try (TestCluster<TestKv> c = TestCluster.builder(TestKv::new).options(small).build()) {
            String leader = c.awaitLeader();
            Throwable t = failureOf(c.node(leader).submit(new byte[101]));
            assertThat(t).isInstanceOf(RequestRejectedException.class).hasMessageContaining("maxCommandBytes");
            assertThat(((RequestRejectedException) t).reason()).isEqualTo(RequestRejectedException.Reason.TOO_LARGE);
            assertThat(((RaftException) t).mayHaveTakenEffect()).isFalse();
        }
    }

    @Test
    void tooManyPendingRequestsAreRefusedAtOnce() throws Exception {
        NodeOptions few = NodeOptions.builder().maxPendingRequests(5).tickInterval(java.time.Duration.ofMillis(10))
                .requestTimeout(java.time.Duration.ofSeconds(5)).build();
        try (TestCluster<TestKv> c = TestCluster.builder(TestKv::new).options(few).build()) {
            String leader = c.awaitLeader();
            String follower = c.ids().stream().filter(id -> !id.equals(leader)).findFirst().get();
            c.network().isolate(follower, c.members().keySet());
            List<CompletableFuture<byte[]>> stuck = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                stuck.add(c.node(follower).submit(put("s", "" + i)));
            }
            assertThat(failureOf(c.node(follower).submit(put("s", "x"))))
                    .isInstanceOf(RequestRejectedException.class).hasMessageContaining("maxPendingRequests");
            assertThat(stuck).noneMatch(CompletableFuture::isDone);
        }
    }

    @Test
    void aWriteWithNoLeaderFailsWithNoLeaderAfterTheTimeout() throws Exception {
        NodeOptions quick = NodeOptions.builder().tickInterval(java.time.Duration.ofMillis(10))
                .requestTimeout(java.time.Duration.ofMillis(300)).build();
        try (TestCluster<TestKv> c = TestCluster.builder(TestKv::new).options(quick).build()) {
            c.awaitLeader();
            c.crash("n1");
            c.crash("n2");
            c.crash("n3");
            c.restart("n1");
            Throwable t = failureOf(c.node("n1").submit(put("a", "b")));
            assertThat(t).isInstanceOf(NoLeaderException.class);
        }
    }

    @Test
    void leaderListenersAreToldOfANewLeaderOffTheEventLoop() throws Exception {
        try (TestCluster<TestKv> c = TestCluster.builder(TestKv::new).build()) {
            String leader = c.awaitLeader();
            String follower = c.ids().stream().filter(id -> !id.equals(leader)).findFirst().get();
            CompletableFuture<String> thread = new CompletableFuture<>();
            CompletableFuture<String> newLeader = new CompletableFuture<>();
            c.node(follower).addLeaderListener((l, t) -> {
                if (l != null && !l.equals(leader)) {
                    thread.complete(Thread.currentThread().getName());
                    newLeader.complete(l);
                }
            });
            c.crash(leader);
            String next = c.awaitLeader();
            assertThat(newLeader.get(20, TimeUnit.SECONDS)).isEqualTo(next);
            assertThat(thread.get()).startsWith("raft-apply-");
        }
    }

    @Test
    void statusReportsRoleTermLeaderAndProgress() throws Exception {
        try (TestCluster<TestKv> c = TestCluster.builder(TestKv::new).build()) {
            String leader = c.awaitLeader();
            get(c.node(leader).submit(put("s", "1")));
            NodeStatus s = c.node(leader).status();
            assertThat(s.id()).isEqualTo(leader);
            assertThat(s.role()).isEqualTo(RaftRole.LEADER);
            assertThat(s.leader()).isEqualTo(leader);
            assertThat(s.term()).isPositive();
            assertThat(s.commitIndex()).isGreaterThanOrEqualTo(2);
            assertThat(s.appliedIndex()).isGreaterThanOrEqualTo(2);
            assertThat(s.members()).containsOnlyKeys("n1", "n2", "n3");
            assertThat(s.failure()).isNull();
        }
    }

    @Test
    void aFiveNodeGroupToleratesTwoFailures() throws Exception {
        try (TestCluster<TestKv> c = TestCluster.builder(TestKv::new).nodes(5).build()) {
            String leader = c.awaitLeader();
            get(c.node(leader).submit(put("a", "1")));
            c.crash(leader);
            String second = c.awaitLeader();
            c.crash(second);
            String third = c.awaitLeader();
            assertThat(str(get(c.node(third).submit(put("a", "2"))))).isEqualTo("1");
        }
    }

    @Test
    void theBuilderRejectsMissingOrInconsistentSettings() {
        assertThatThrownBy(() -> RaftNode.builder().id("n1").build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("members");
        assertThatThrownBy(() -> RaftNode.builder().id("n9").members(Map.of("n1", "a")).build())
                .hasMessageContaining("must include this node's id n9");
        RaftNode.Builder b = RaftNode.builder().id("n1").members(Map.of("n1", "a")).stateMachine(new TestKv())
                .transport(new io.raftkit.testkit.memory.InMemoryNetwork().transport("n1"))
                .logStorage(new io.raftkit.testkit.memory.InMemoryLogStorage())
                .snapshotStore(new io.raftkit.testkit.memory.InMemorySnapshotStore());
        b.build().close();
        assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> NodeOptions.builder().maxPendingRequests(0).build())
                .hasMessageContaining("maxPendingRequests");
    }
}
