package io.raftkit.node;

import static io.raftkit.node.TestKv.put;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.testkit.TestCluster;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A lagging node gets its snapshot from a caught-up follower the leader asks (RaftConfig.snapshotsFromFollowers,
 * on by default), on real nodes; the leader sends its own when that follower cannot deliver it.
 */
class SnapshotFromFollowerTest {

    private static final int SNAPSHOT_EVERY = 20;

    @Test
    void aLaggingNodeGetsItsSnapshotFromTheOtherFollowerAndEndsEqualToTheLeader() throws Exception {
        try (TestCluster<TestKv> c = TestCluster.builder(TestKv::new).options(TestCluster.fastOptions(SNAPSHOT_EVERY))
                .build()) {
            String leader = c.awaitLeader();
            String lagging = c.others(leader).get(0);
            String donor = c.others(leader).get(1);
            c.crash(lagging);
            writeAndCompact(c, leader, donor);

            c.restart(lagging);
            c.awaitApplied(c.node(leader).status().commitIndex());

            assertThat(c.stateMachine(lagging).data).isEqualTo(c.stateMachine(leader).data);
            assertThat(c.node(lagging).metrics().snapshotsInstalled()).as("snapshots %s installed", lagging).isPositive();
            // The sender counts a transfer once it has the receiver's last answer, which may come after
            // the receiver has restored the snapshot.
            TestCluster.await("the donor " + donor + " counting its transfer",
                    () -> c.node(donor).metrics().snapshotsSent() > 0);
            assertThat(c.node(leader).metrics().snapshotsSent()).as("snapshots the leader %s sent", leader).isZero();
            // It follows from the log afterwards.
            c.node(leader).submit(put("after", "snapshot")).get(20, TimeUnit.SECONDS);
            c.awaitApplied(c.node(leader).status().commitIndex());
            assertThat(c.stateMachine(lagging).data).containsEntry("after", "snapshot");
        }
    }

    @Test
    void whenTheDonorCannotReachTheLaggingNodeTheLeaderSendsItsOwn() throws Exception {
        try (TestCluster<TestKv> c = TestCluster.builder(TestKv::new).options(TestCluster.fastOptions(SNAPSHOT_EVERY))
                .build()) {
            String leader = c.awaitLeader();
            String lagging = c.others(leader).get(0);
            String donor = c.others(leader).get(1);
            c.crash(lagging);
            writeAndCompact(c, leader, donor);
            // The donor's chunks are lost; its transfer times out and it reports so.
            c.network().cut(donor, lagging);

            c.restart(lagging);
            c.awaitApplied(c.node(leader).status().commitIndex());

            assertThat(c.stateMachine(lagging).data).isEqualTo(c.stateMachine(leader).data);
            TestCluster.await("the leader " + leader + " counting its transfer",
                    () -> c.node(leader).metrics().snapshotsSent() > 0);
            assertThat(c.node(donor).metrics().snapshotsSent()).as("snapshots the donor %s sent", donor).isZero();
        }
    }

    /** Writes past several snapshots; waits until the leader and the donor hold the same latest one. */
    private static void writeAndCompact(TestCluster<TestKv> c, String leader, String donor) throws Exception {
        for (int i = 0; i < 150; i++) {
            c.node(leader).submit(put("k" + i, "value-" + i + "-" + "x".repeat(40))).get(20, TimeUnit.SECONDS);
        }
        TestCluster.await("the leader compacting its log", () -> c.node(leader).status().lastSnapshotIndex() > 100);
        long leaderSnapshot = c.node(leader).status().lastSnapshotIndex();
        assertThat(leaderSnapshot % SNAPSHOT_EVERY).as("the leader's snapshot index %d", leaderSnapshot).isZero();
        // Snapshots at the same multiples on every node: the donor holds the leader's latest.
        TestCluster.await("the donor's snapshot reaching the leader's",
                () -> c.node(donor).status().lastSnapshotIndex() >= leaderSnapshot);
        assertThat(c.node(donor).status().lastSnapshotIndex() % SNAPSHOT_EVERY).isZero();
    }
}
