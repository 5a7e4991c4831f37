package io.raftkit.node;

import static io.raftkit.node.TestKv.put;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.testkit.TestCluster;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link NodeOptions#NO_SNAPSHOTS}: no snapshot is ever taken, and the log alone carries the group. */
class NoSnapshotsTest {

    @Test
    void withSnapshotsOffNoneIsTakenAndALateNodeCatchesUpFromTheLog() throws Exception {
        NodeOptions options = NodeOptions.builder()
                .raft(io.raftkit.core.RaftConfig.builder().electionTicks(10).heartbeatTicks(1).build())
                .tickInterval(java.time.Duration.ofMillis(10))
                .snapshotEveryEntries(NodeOptions.NO_SNAPSHOTS)
                .build();
        try (TestCluster<TestKv> c = TestCluster.builder(TestKv::new).options(options).build()) {
            String leader = c.awaitLeader();
            for (int i = 0; i < 300; i++) {
                c.node(leader).submit(put("k" + i, "v" + i)).get(20, TimeUnit.SECONDS);
            }
            c.addJoiningNode("n4");
            c.node(leader).addLearner("n4", "mem:n4").get(20, TimeUnit.SECONDS);
            c.awaitApplied(c.node(leader).status().commitIndex());
            for (String id : c.ids()) {
                assertThat(c.node(id).status().lastSnapshotIndex()).as("snapshots on %s", id).isZero();
            }
            assertThat(c.stateMachine("n4").copy()).containsEntry("k299", "v299").hasSize(300);
        }
    }
}
