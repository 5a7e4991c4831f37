package io.raftkit.node;

import static io.raftkit.node.TestKv.put;
import static io.raftkit.node.TestKv.str;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkit.testkit.TestCluster;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Changing a running group through RaftNode: real threads, in-memory transport and storage. */
class MembershipTest {

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(20, TimeUnit.SECONDS);
    }

    private static String follower(TestCluster<TestKv> c, String leader) {
        return c.ids().stream().filter(id -> !id.equals(leader) && c.node(id).isRunning()).findFirst().orElseThrow();
    }

    @Test
    void aJoiningNodeIsAddedAsALearnerCatchesUpIsPromotedAndAnOldMemberLeaves() throws Exception {
        try (TestCluster<TestKv> c = TestCluster.builder(TestKv::new).build()) {
            String leader = c.awaitLeader();
            for (int i = 0; i < 20; i++) {
                get(c.node(leader).submit(put("k" + i, "v" + i)));
            }
            c.addJoiningNode("n4");

            // Asked of a follower: forwarded to the leader.
            Membership m = get(c.node(follower(c, leader)).addLearner("n4", "mem:n4"));
            assertThat(m.learners()).containsExactly("n4");
            assertThat(m.addresses()).containsEntry("n4", "mem:n4");
            c.awaitApplied(c.node(leader).status().commitIndex());
            assertThat(c.stateMachine("n4").copy()).containsEntry("k19", "v19");
            Membership onLeader = c.node(leader).membership();
            assertThat(onLeader.lag("n4")).isZero();

            m = get(c.node(leader).promote("n4"));
            assertThat(m.voters()).containsExactlyInAnyOrder("n1", "n2", "n3", "n4");

            String leaving = follower(c, leader);
            m = get(c.node(leader).remove(leaving));
            assertThat(m.voters()).doesNotContain(leaving).contains("n4");
            assertThat(get(c.node("n4").submit(put("after", "x")))).isNotNull();
            assertThat(str(get(c.node("n4").query("after".getBytes(StandardCharsets.UTF_8))))).isEqualTo("x");
        }
    }

    @Test
    void refusalsSayWhyAndChangeNothing() throws Exception {
        try (TestCluster<TestKv> c = TestCluster.builder(TestKv::new).build()) {
            String leader = c.awaitLeader();
            get(c.node(leader).submit(put("k", "v"))); // the leader has committed in its term
            assertRefused(c.node(leader).addLearner("n2", "mem:other"), GroupChangeRefusedException.Reason.INVALID,
                    "n2 is already a member");
            assertRefused(c.node(follower(c, leader)).remove("n9"), GroupChangeRefusedException.Reason.INVALID,
                    "n9 is not a member");
            assertRefused(c.node(leader).addVoter("n5", c.members().get("n1")), GroupChangeRefusedException.Reason.INVALID,
                    "already a member's");
            assertRefused(c.node(leader).promote("n2"), GroupChangeRefusedException.Reason.INVALID, "not a learner");
            get(c.node(leader).addLearner("n4", "mem:n4"));
            assertRefused(c.node(leader).transferLeadership("n4"), GroupChangeRefusedException.Reason.TRANSFER_REFUSED,
                    "learner");
            assertThat(c.node(leader).membership().voters()).containsExactlyInAnyOrder("n1", "n2", "n3");
        }
    }

    @Test
    void theLastVoterCannotBeRemoved() throws Exception {
        try (TestCluster<TestKv> c = TestCluster.builder(TestKv::new).nodes(1).build()) {
            String leader = c.awaitLeader();
            get(c.node(leader).submit(put("k", "v")));
            assertRefused(c.node(leader).remove(leader), GroupChangeRefusedException.Reason.INVALID,
                    "would leave no voter");
            assertThat(c.node(leader).membership().voters()).containsExactly(leader);
            assertThat(get(c.node(leader).submit(put("k", "w")))).isNotNull();
        }
    }

    @Test
    void leadershipMovesToTheNamedVoterOrToTheBestOne() throws Exception {
        try (TestCluster<TestKv> c = TestCluster.builder(TestKv::new).build()) {
            String leader = c.awaitLeader();
            get(c.node(leader).submit(put("k", "v")));
            String target = follower(c, leader);
            assertThat(get(c.node(leader).transferLeadership(target))).isEqualTo(target);
            assertThat(c.awaitLeader()).isEqualTo(target);
            // Asked of a follower, to the best voter: leadership moves away from the current leader.
            String moved = get(c.node(leader).transferLeadership(null));
            assertThat(moved).isNotEqualTo(target);
            assertThat(get(c.node(moved).submit(put("k", "w")))).isNotNull();
        }
    }

    @Test
    void aClosingLeaderHandsLeadershipOverWithoutAnElectionTimeout() throws Exception {
        // Manual clocks that nobody moves once a leader is up: no election timeout can fire, so a new
        // leader can only come from the hand-over.
        NodeOptions options = NodeOptions.builder()
                .raft(io.raftkit.core.RaftConfig.builder().electionTicks(10).heartbeatTicks(1).build())
                .tickInterval(java.time.Duration.ofMillis(10))
                .requestTimeout(java.time.Duration.ofSeconds(5))
                // Bounds the teardown: the last leader standing waits for a hand-over nobody can take.
                .closeTransferTimeout(java.time.Duration.ofMillis(300))
                .build();
        try (TestCluster<TestKv> c = TestCluster.builder(TestKv::new).options(options).manualClocks().build()) {
            c.advanceUntil(c.ids(), "a leader known to all", () -> knownLeader(c) != null);
            String old = knownLeader(c);
            CompletableFuture<byte[]> write = c.node(old).submit(put("k", "v"));
            c.advanceUntil(c.ids(), "the write", write::isDone);

            c.node(old).close();

            TestCluster.await("a new leader known to the others", () -> {
                String l = knownLeader(c);
                return l != null && !l.equals(old);
            });
            String fresh = knownLeader(c);
            assertThat(str(get(c.node(fresh).query("k".getBytes(StandardCharsets.UTF_8))))).isEqualTo("v");
        }
    }

    @Test
    void withTheHandOverOffAClosingLeaderStopsAtOnce() throws Exception {
        NodeOptions options = NodeOptions.builder()
                .raft(io.raftkit.core.RaftConfig.builder().electionTicks(10).heartbeatTicks(1).build())
                .tickInterval(java.time.Duration.ofMillis(10))
                .closeTransferTimeout(java.time.Duration.ZERO)
                .build();
        try (TestCluster<TestKv> c = TestCluster.builder(TestKv::new).options(options).manualClocks().build()) {
            c.advanceUntil(c.ids(), "a leader known to all", () -> knownLeader(c) != null);
            String old = knownLeader(c);
            c.node(old).close();
            // Nothing told the others: they still follow the closed node until an election timeout.
            for (String id : c.ids()) {
                if (!id.equals(old)) {
                    assertThat(c.node(id).status().leader()).isEqualTo(old);
                    assertThat(c.node(id).status().role()).isEqualTo(io.raftkit.core.RaftRole.FOLLOWER);
                }
            }
        }
    }

    /** The leader every running node names, if they agree on one that leads; else null. */
    private static String knownLeader(TestCluster<TestKv> c) {
        String leader = null;
        for (String id : c.ids()) {
            RaftNode n = c.node(id);
            if (!n.isRunning()) {
                continue;
            }
            String l = n.status().leader();
            if (l == null || (leader != null && !leader.equals(l))) {
                return null;
            }
            leader = l;
        }
        return leader != null && c.node(leader).isRunning()
                && c.node(leader).status().role() == io.raftkit.core.RaftRole.LEADER ? leader : null;
    }

    private static void assertRefused(CompletableFuture<?> f, GroupChangeRefusedException.Reason reason, String why) {
        assertThatThrownBy(() -> f.get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(GroupChangeRefusedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.getMessage()).contains(why);
                });
    }
}
