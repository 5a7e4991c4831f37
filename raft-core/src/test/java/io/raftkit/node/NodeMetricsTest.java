package io.raftkit.node;

import static io.raftkit.node.TestKv.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkit.core.RaftRole;
import io.raftkit.testkit.TestCluster;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The counters, gauges and histograms of {@link NodeMetrics} follow what the node did. */
class NodeMetricsTest {

    @Test
    void writesReadsRejectionsElectionsAndSnapshotsAreCounted() throws Exception {
        try (TestCluster<TestKv> c = TestCluster.builder(TestKv::new).options(TestCluster.fastOptions(20)).build()) {
            String leader = c.awaitLeader();
            RaftNode node = c.node(leader);
            for (int i = 0; i < 50; i++) {
                node.submit(put("k" + i, "v")).get(20, TimeUnit.SECONDS);
            }
            node.query("k1".getBytes(StandardCharsets.UTF_8)).get(20, TimeUnit.SECONDS);
            assertThatThrownBy(() -> node.submit(new byte[2 << 20]).get())
                    .hasCauseInstanceOf(RequestRejectedException.class);
            c.awaitApplied(node.status().commitIndex());

            NodeMetrics m = node.metrics();
            assertThat(m.writes()).isEqualTo(50);
            assertThat(m.writeLatency().count()).isEqualTo(50);
            assertThat(m.writeLatency().sumNanos()).isPositive();
            assertThat(Arrays.stream(m.writeLatency().counts()).sum()).isEqualTo(50);
            assertThat(m.reads()).isEqualTo(1);
            assertThat(m.readLatency().count()).isEqualTo(1);
            assertThat(m.rejected()).isEqualTo(1);
            assertThat(m.writesFailed()).isEqualTo(1);
            assertThat(m.persistLatency().count()).as("batches made durable").isPositive();
            assertThat(m.snapshotsTaken()).as("a snapshot every 20 entries").isGreaterThanOrEqualTo(2);
            assertThat(m.snapshotLatency().count()).isEqualTo(m.snapshotsTaken());
            assertThat(m.role()).isEqualTo(RaftRole.LEADER);
            assertThat(m.appliedIndex()).isEqualTo(m.commitIndex());
            assertThat(m.lag()).containsOnlyKeys(c.ids());
            assertThat(m.pendingRequests()).isZero();
            assertThat(m.leaderChanges()).as("from none to %s", leader).isGreaterThanOrEqualTo(1);
            long campaignsOfAll = c.ids().stream().mapToLong(id -> c.node(id).metrics().campaigns()).sum();
            assertThat(campaignsOfAll).as("someone stood for election").isPositive();
            for (String id : c.ids()) {
                if (!id.equals(leader)) {
                    assertThat(c.node(id).metrics().lag()).as("only the leader knows lags").isEmpty();
                }
            }
        }
    }
}
