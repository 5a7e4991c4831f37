package io.raftkit.node;

import static io.raftkit.node.TestKv.put;
import static io.raftkit.node.TestKv.str;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkit.core.RaftConfig;
import io.raftkit.testkit.TestCluster;
import io.raftkit.testkit.memory.InMemoryNetwork;
import io.raftkit.testkit.memory.InMemorySnapshotStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A leader whose disk hangs steps down, the others elect a leader, and it recovers when the disk answers. */
class DiskStallStepDownTest {

    private final Map<String, RaftNode> nodes = new LinkedHashMap<>();
    private final Map<String, StallableLogStorage> disks = new LinkedHashMap<>();

    @AfterEach
    void close() {
        disks.values().forEach(StallableLogStorage::release);
        nodes.values().forEach(RaftNode::close);
    }

    private String leaderAmong(List<String> ids) {
        String[] found = new String[1];
        TestCluster.await("a leader among " + ids + " known to them all", () -> {
            String seen = null;
            for (String id : ids) {
                String l = nodes.get(id).leader();
                if (l == null || !ids.contains(l) || (seen != null && !seen.equals(l))) {
                    return false;
                }
                seen = l;
            }
            found[0] = seen;
            return nodes.get(seen).isLeader();
        });
        return found[0];
    }

    @Test
    void aLeaderWithAHungDiskStepsDownAndComesBackAsAFollower() throws Exception {
        InMemoryNetwork network = new InMemoryNetwork();
        Map<String, String> members = Map.of("n1", "mem:1", "n2", "mem:2", "n3", "mem:3");
        NodeOptions options = NodeOptions.builder()
                .raft(RaftConfig.builder().electionTicks(10).heartbeatTicks(1).build())
                .tickInterval(Duration.ofMillis(10))
                .requestTimeout(Duration.ofSeconds(5))
                .diskStallTimeout(Duration.ofMillis(300))
                .closeTransferTimeout(Duration.ZERO)
                .build();
        for (String id : List.of("n1", "n2", "n3")) {
            StallableLogStorage disk = new StallableLogStorage();
            disks.put(id, disk);
            RaftNode node = RaftNode.builder().id(id).members(members).stateMachine(new TestKv())
                    .transport(network.transport(id)).logStorage(disk).snapshotStore(new InMemorySnapshotStore())
                    .options(options).build();
            nodes.put(id, node);
            node.start();
        }
        String old = leaderAmong(List.of("n1", "n2", "n3"));
        nodes.get(old).submit(put("k", "before")).get(20, TimeUnit.SECONDS);

        disks.get(old).stall();
        // The next write's log write hangs on the leader; past the timeout it stands down.
        nodes.get(old).submit(put("k", "during"));
        TestCluster.await(old + " counting its disk stalled", () -> nodes.get(old).status().diskStalled());
        List<String> healthy = nodes.keySet().stream().filter(id -> !id.equals(old)).toList();
        String fresh = leaderAmong(healthy);
        assertThat(fresh).isNotEqualTo(old);
        assertThat(nodes.get(old).isLeader()).isFalse();
        assertThat(nodes.get(fresh).submit(put("k", "after")).get(20, TimeUnit.SECONDS)).isNotNull();
        assertThatThrownBy(() -> nodes.get(old).query("k".getBytes(StandardCharsets.UTF_8)).get(20, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause()
                .isInstanceOfSatisfying(RequestRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(RequestRejectedException.Reason.DISK_STALLED));

        // The disk answers: the node counts it healthy again, follows the new leader, and serves reads.
        disks.get(old).release();
        TestCluster.await(old + " counting its disk healthy", () -> !nodes.get(old).status().diskStalled());
        TestCluster.await(old + " following " + fresh, () -> fresh.equals(nodes.get(old).leader()));
        assertThat(str(nodes.get(old).query("k".getBytes(StandardCharsets.UTF_8)).get(20, TimeUnit.SECONDS)))
                .isEqualTo("after");
    }
}
