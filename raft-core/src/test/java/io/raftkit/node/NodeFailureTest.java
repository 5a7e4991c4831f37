package io.raftkit.node;

import static io.raftkit.node.TestKv.put;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.core.RaftConfig;
import io.raftkit.testkit.TestCluster;
import io.raftkit.testkit.memory.InMemoryLogStorage;
import io.raftkit.testkit.memory.InMemoryNetwork;
import io.raftkit.testkit.memory.InMemorySnapshotStore;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A fatal storage error stops one node cleanly; the rest of the group carries on. */
class NodeFailureTest {

    @Test
    void aFailedStorageWriteStopsTheNodeFailsItsRequestsAndTheGroupCarriesOn() throws Exception {
        NodeOptions options = NodeOptions.builder()
                .raft(RaftConfig.builder().electionTicks(10).build())
                .tickInterval(Duration.ofMillis(10)).requestTimeout(Duration.ofSeconds(5)).build();
        InMemoryNetwork network = new InMemoryNetwork();
        Map<String, String> members = new LinkedHashMap<>();
        for (String id : List.of("n1", "n2", "n3")) {
            members.put(id, "mem:" + id);
        }
        FailingLogStorage broken = new FailingLogStorage();
        Map<String, RaftNode> nodes = new LinkedHashMap<>();
        for (String id : members.keySet()) {
            nodes.put(id, RaftNode.builder().id(id).members(members).stateMachine(new TestKv())
                    .transport(network.transport(id))
                    .logStorage(id.equals("n1") ? broken : new InMemoryLogStorage())
                    .snapshotStore(new InMemorySnapshotStore()).options(options).seed(id.hashCode()).build());
        }
        try {
            nodes.values().forEach(RaftNode::start);
            TestCluster.await("a leader", () -> nodes.values().stream()
                    .anyMatch(n -> n.status().role() == io.raftkit.core.RaftRole.LEADER));
            nodes.get("n1").submit(put("before", "1")).get(20, TimeUnit.SECONDS);

            broken.failing = true;
            CompletableFuture<byte[]> doomed = nodes.get("n1").submit(put("doomed", "1"));
            Throwable t = causeOf(doomed);
            // Either n1 led and its own write failed, or it followed and failed on the next append it got.
            TestCluster.await("n1 to stop", () -> nodes.get("n1").status().failure() != null);
            assertThat(nodes.get("n1").status().failure()).contains("no space left on device");
            assertThat(nodes.get("n1").isRunning()).isFalse();
            if (t != null) {
                assertThat(t).isInstanceOf(RaftException.class);
            }
            Throwable refused = causeOf(nodes.get("n1").submit(put("after", "1")));
            assertThat(refused).isInstanceOfAny(NodeFailedException.class, NodeClosedException.class);

            TestCluster.await("a leader among the others", () -> nodes.get("n2").status().leader() != null
                    && !"n1".equals(nodes.get("n2").status().leader()));
            String leader = nodes.get("n2").status().leader();
            assertThat(nodes.get(leader).submit(put("carry", "on")).get(20, TimeUnit.SECONDS)).isNotNull();
        } finally {
            nodes.values().forEach(RaftNode::close);
        }
    }

    private static Throwable causeOf(CompletableFuture<byte[]> f) throws Exception {
        try {
            f.get(20, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }
}
