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
        try (Group g = Group.withALaggingNode()) {
            g.restartLaggingAndAwaitItEqualToTheLeader();
            assertThat(g.node(g.lagging).metrics().snapshotsInstalled()).as("snapshots %s installed", g.lagging)
                    .isPositive();
            g.awaitSent(g.donor);
            assertThat(g.node(g.leader).metrics().snapshotsSent()).as("snapshots the leader %s sent", g.leader).isZero();
            // It follows from the log afterwards.
            g.node(g.leader).submit(put("after", "snapshot")).get(20, TimeUnit.SECONDS);
            g.c.awaitApplied(g.node(g.leader).status().commitIndex());
            assertThat(g.c.stateMachine(g.lagging).data).containsEntry("after", "snapshot");
        }
    }

    @Test
    void whenTheDonorCannotReachTheLaggingNodeTheLeaderSendsItsOwn() throws Exception {
        try (Group g = Group.withALaggingNode()) {
            // The donor's chunks are lost; its transfer times out and it reports so.
            g.c.network().cut(g.donor, g.lagging);
            g.restartLaggingAndAwaitItEqualToTheLeader();
            g.awaitSent(g.leader);
            assertThat(g.node(g.donor).metrics().snapshotsSent()).as("snapshots the donor %s sent", g.donor).isZero();
        }
    }

    /** Three nodes: one crashed early (lagging) while the other two wrote past several snapshots. */
    private record Group(TestCluster<TestKv> c, String leader, String lagging, String donor) implements AutoCloseable {

        static Group withALaggingNode() throws Exception {
            TestCluster<TestKv> c = TestCluster.builder(TestKv::new).options(TestCluster.fastOptions(SNAPSHOT_EVERY))
                    .build();
            try {
                String leader = c.awaitLeader();
                Group g = new Group(c, leader, c.others(leader).get(0), c.others(leader).get(1));
                c.crash(g.lagging);
                writeAndCompact(c, leader, g.donor);
                return g;
            } catch (Exception | AssertionError e) {
                c.close();
                throw e;
            }
        }

        RaftNode node(String id) {
            return c.node(id);
        }

        void restartLaggingAndAwaitItEqualToTheLeader() {
            c.restart(lagging);
            c.awaitApplied(node(leader).status().commitIndex());
            assertThat(c.stateMachine(lagging).data).isEqualTo(c.stateMachine(leader).data);
        }

        /**
         * Waits for {@code sender} to count a whole transfer: it does once it has the receiver's last
         * answer, which may come after the receiver has restored the snapshot.
         */
        void awaitSent(String sender) {
            TestCluster.await(sender + " counting its transfer", () -> node(sender).metrics().snapshotsSent() > 0);
        }

        @Override
        public void close() {
            c.close();
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
