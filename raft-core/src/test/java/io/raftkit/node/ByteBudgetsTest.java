package io.raftkit.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.core.RaftConfig;
import io.raftkit.core.StateMachine;
import io.raftkit.testkit.TestCluster;
import io.raftkit.testkit.memory.InMemoryLogStorage;
import io.raftkit.testkit.memory.InMemoryNetwork;
import io.raftkit.testkit.memory.InMemorySnapshotStore;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Each memory budget of a node refuses, or holds back, at its limit and recovers once there is room. */
class ByteBudgetsTest {

    private static final long WAIT = 20;

    @Test
    void pendingRequestBytesOverTheBudgetAreRefusedAsOverloadedUntilTheyEnd() throws Exception {
        NodeOptions options = NodeOptions.builder()
                .raft(RaftConfig.builder().electionTicks(50).heartbeatTicks(1).build())
                .tickInterval(Duration.ofMillis(10)).maxCommandBytes(1000).maxPendingBytes(2000).build();
        try (TestCluster<TestKv> c = TestCluster.builder(TestKv::new).options(options).build()) {
            String leader = c.awaitLeader();
            RaftNode node = c.node(leader);
            // No answer reaches the leader: its writes stay pending.
            for (String id : c.ids()) {
                if (!id.equals(leader)) {
                    c.network().cut(id, leader);
                }
            }
            List<CompletableFuture<byte[]>> pending = new ArrayList<>();
            pending.add(node.submit(new byte[1000]));
            pending.add(node.submit(new byte[1000]));
            assertThat(node.metrics().pendingBytes()).isEqualTo(2000);
            BudgetUse use = node.status().budgets();
            assertThat(use.pendingBytes()).isEqualTo(2000);
            assertThat(use.maxPendingBytes()).isEqualTo(2000);
            assertThat(use.pendingRequests()).isEqualTo(2);
            assertThat(use.maxInboundBytesPerPeer()).isEqualTo(options.maxInboundBytesPerPeer());
            assertThat(use.snapshotTransfers()).isZero();
            assertThat(use.snapshotChunkBytes()).isEqualTo(options.snapshotChunkBytes());
            Throwable refused = failureOf(node.submit(new byte[1]));
            assertThat(refused).isInstanceOfSatisfying(RequestRejectedException.class, e -> {
                assertThat(e.reason()).isEqualTo(RequestRejectedException.Reason.OVERLOADED);
                assertThat(e.getMessage()).contains("NodeOptions.maxPendingBytes");
            });
            assertThat(node.metrics().pendingBytes()).as("a refused request takes nothing").isEqualTo(2000);

            c.network().heal();
            for (CompletableFuture<byte[]> f : pending) {
                failureOf(f); // committed, or failed by a leader change: either way they end
            }
            TestCluster.await("the pending bytes given back", () -> node.metrics().pendingBytes() == 0);
            String now = c.awaitLeader();
            assertThat(c.node(now).submit(new byte[1000]).get(WAIT, TimeUnit.SECONDS)).isNotNull();
        }
    }

    @Test
    void aLeaderWhoseFollowersDoNotKeepUpRefusesProposalsPastItsUncommittedBudgetUntilCommitsCatchUp()
            throws Exception {
        NodeOptions options = NodeOptions.builder()
                .raft(RaftConfig.builder().electionTicks(100).heartbeatTicks(1).maxUncommittedBytes(3_000).build())
                .tickInterval(Duration.ofMillis(10)).build();
        try (TestCluster<TestKv> c = TestCluster.builder(TestKv::new).options(options).build()) {
            String leader = c.awaitLeader();
            String follower = c.ids().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
            RaftNode node = c.node(leader);
            // The followers' acknowledgements are lost, so nothing commits; everything else flows (a follower
            // forwards writes and hears the answers).
            c.network().dropWhere(m -> m instanceof io.raftkit.core.message.AppendResponse && m.to().equals(leader));
            List<CompletableFuture<byte[]>> held = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                held.add(node.submit(new byte[950])); // 974 bytes each with the entry overhead
            }
            TestCluster.await("the leader holding them", () -> node.metrics().uncommittedBytes() == 3 * 974);
            assertThat(node.status().budgets().uncommittedBytes()).isEqualTo(3 * 974);
            assertThat(node.status().budgets().maxUncommittedBytes()).isEqualTo(3_000);
            Throwable refused = failureOf(node.submit(new byte[950]));
            assertThat(refused).isInstanceOfSatisfying(RequestRejectedException.class, e -> {
                assertThat(e.reason()).isEqualTo(RequestRejectedException.Reason.OVERLOADED);
                assertThat(e.getMessage()).contains("RaftConfig.maxUncommittedBytes");
            });
            Throwable forwarded = failureOf(c.node(follower).submit(new byte[950]));
            assertThat(forwarded).as("a write forwarded by a follower").isInstanceOfSatisfying(
                    RequestRejectedException.class, e -> assertThat(e.getMessage()).contains("maxUncommittedBytes"));

            c.network().heal();
            for (CompletableFuture<byte[]> f : held) {
                assertThat(f.get(WAIT, TimeUnit.SECONDS)).isNotNull();
            }
            TestCluster.await("the budget free again", () -> node.metrics().uncommittedBytes() == 0);
            assertThat(node.submit(new byte[950]).get(WAIT, TimeUnit.SECONDS)).isNotNull();
        }
    }

    /** Blocks in apply while the gate is shut; otherwise counts. */
    static final class GatedMachine implements StateMachine {
        final CountDownLatch gate = new CountDownLatch(1);
        volatile boolean gated;
        volatile long applied;

        @Override
        public byte[] apply(long index, byte[] command) {
            if (gated) {
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            applied++;
            return new byte[0];
        }

        @Override
        public byte[] query(byte[] query) {
            return new byte[0];
        }

        @Override
        public void writeSnapshot(OutputStream out) {}

        @Override
        public void restoreSnapshot(InputStream in) {}
    }

    @Test
    void aSlowStateMachineHoldsOnlyItsApplyQueueBudgetOfCommittedEntriesInMemory() throws Exception {
        long budget = 1_000;
        NodeOptions options = NodeOptions.builder()
                .raft(RaftConfig.builder().electionTicks(10).heartbeatTicks(1).build())
                .tickInterval(Duration.ofMillis(10)).maxApplyQueueBytes(budget).build();
        InMemoryNetwork network = new InMemoryNetwork();
        Map<String, String> members = new LinkedHashMap<>();
        for (String id : List.of("n1", "n2", "n3")) {
            members.put(id, "mem:" + id);
        }
        Map<String, RaftNode> nodes = new LinkedHashMap<>();
        Map<String, GatedMachine> machines = new LinkedHashMap<>();
        for (String id : members.keySet()) {
            GatedMachine m = new GatedMachine();
            machines.put(id, m);
            nodes.put(id, RaftNode.builder().id(id).members(members).stateMachine(m)
                    .transport(network.transport(id)).logStorage(new InMemoryLogStorage())
                    .snapshotStore(new InMemorySnapshotStore()).options(options).seed(id.hashCode()).build());
        }
        try {
            nodes.values().forEach(RaftNode::start);
            String leader = nodes.get("n1").awaitLeader(Duration.ofSeconds(WAIT)).get(WAIT, TimeUnit.SECONDS);
            String slow = members.keySet().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
            RaftNode node = nodes.get(slow);
            long before = node.status().commitIndex();
            machines.get(slow).gated = true;

            List<CompletableFuture<byte[]>> writes = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                writes.add(nodes.get(leader).submit(new byte[200]));
            }
            for (CompletableFuture<byte[]> w : writes) {
                w.get(WAIT, TimeUnit.SECONDS); // the other two apply them
            }
            TestCluster.await("the slow node learning every commit", () -> node.status().commitIndex() >= before + 40);
            long queued = node.metrics().applyQueueBytes();
            assertThat(node.status().budgets().applyQueueBytes()).isEqualTo(queued);
            assertThat(queued).as("bytes queued for the stuck state machine").isPositive()
                    .isLessThanOrEqualTo(budget + 200 + io.raftkit.core.Entry.OVERHEAD_BYTES);
            assertThat(node.status().appliedIndex()).isLessThan(before + 40);

            machines.get(slow).gate.countDown();
            TestCluster.await("the slow node applying everything",
                    () -> node.status().appliedIndex() >= before + 40);
            assertThat(node.metrics().applyQueueBytes()).isZero();
        } finally {
            for (GatedMachine m : machines.values()) {
                m.gate.countDown();
            }
            nodes.values().forEach(RaftNode::close);
        }
    }

    private static Throwable failureOf(CompletableFuture<byte[]> f) throws Exception {
        try {
            f.get(WAIT, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }
}
