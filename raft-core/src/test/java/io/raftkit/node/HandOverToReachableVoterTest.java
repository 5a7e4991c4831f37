package io.raftkit.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkit.core.RaftConfig;
import io.raftkit.core.RaftRole;
import io.raftkit.testkit.TestCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A leader hands leadership only to a voter its transport can reach. A voter that closed a moment ago was
 * heard from within the leader's check-quorum round, so it used to be picked: closing a whole group one
 * node after another, the last leader waited an election timeout for a hand-over to a closed node (the
 * counter example took 3-4 s to close its three nodes). The clocks here are manual and never move, so
 * the voter that closed still counts as heard from lately and nothing is given up by a timer.
 */
class HandOverToReachableVoterTest {

    private static final NodeOptions OPTIONS = NodeOptions.builder()
            .raft(RaftConfig.builder().electionTicks(10).heartbeatTicks(1).build())
            .tickInterval(Duration.ofMillis(10))
            .closeTransferTimeout(Duration.ZERO)
            .build();

    @Test
    void aHandOverWithNoTargetPassesOverAVoterThatHasJustClosed() throws Exception {
        try (TestCluster<TestKv> c = TestCluster.builder(TestKv::new).options(OPTIONS).manualClocks().build()) {
            String leader = awaitLeader(c);
            List<String> followers = followers(c, leader);
            // The first in voter order is the one picked among equally long logs heard from lately.
            String closed = followers.get(0);
            String open = followers.get(1);
            c.crash(closed);

            CompletableFuture<String> handOver = c.node(leader).transferLeadership(null);
            c.advanceUntil(List.of(leader, open), "the hand-over", handOver::isDone);

            assertThat(handOver.get()).isEqualTo(open);
        }
    }

    @Test
    void aLeaderWhoseVotersHaveAllClosedRefusesAHandOverAtOnce() throws Exception {
        try (TestCluster<TestKv> c = TestCluster.builder(TestKv::new).options(OPTIONS).manualClocks().build()) {
            String leader = awaitLeader(c);
            for (String f : followers(c, leader)) {
                c.crash(f);
            }

            CompletableFuture<String> handOver = c.node(leader).transferLeadership(null);

            // No clock moves: only a refusal, not a transfer given up after an election timeout, ends it.
            assertThatThrownBy(() -> handOver.get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(GroupChangeRefusedException.class, e -> {
                        assertThat(e.reason()).isEqualTo(GroupChangeRefusedException.Reason.TRANSFER_REFUSED);
                        assertThat(e.getMessage()).contains("no other voter is reachable");
                    });
            assertThat(c.node(leader).status().role()).isEqualTo(RaftRole.LEADER);
        }
    }

    private static String awaitLeader(TestCluster<TestKv> c) {
        String[] leader = new String[1];
        c.advanceUntil(c.ids(), "a leader every node follows", () -> {
            leader[0] = null;
            for (String id : c.ids()) {
                if (c.node(id).status().role() == RaftRole.LEADER) {
                    leader[0] = id;
                }
            }
            return leader[0] != null && c.ids().stream().allMatch(id -> leader[0].equals(c.node(id).status().leader()));
        });
        return leader[0];
    }

    private static List<String> followers(TestCluster<TestKv> c, String leader) {
        List<String> followers = new ArrayList<>(c.ids());
        followers.remove(leader);
        followers.sort(null);
        return followers;
    }
}
