package io.raftkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkit.core.RaftRole;
import io.raftkit.node.ReadConsistency;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TestClusterTest {

    @Test
    void writesReplicateToEveryNodesStateMachine() throws Exception {
        try (TestCluster<Counter> c = TestCluster.builder(Counter::new).build()) {
            String leader = c.awaitLeader();
            assertThat(Counter.decode(c.node(leader).submit(Counter.add(5)).get(5, TimeUnit.SECONDS))).isEqualTo(5);
            long index = c.node(leader).status().commitIndex();
            c.awaitApplied(index);
            for (String id : c.ids()) {
                assertThat(c.stateMachine(id).value()).as(id).isEqualTo(5);
            }
        }
    }

    @Test
    void anIsolatedLeaderIsReplacedAndCatchesUpAfterTheHeal() throws Exception {
        try (TestCluster<Counter> c = TestCluster.builder(Counter::new).build()) {
            String old = c.awaitLeader();
            c.isolate(old);
            List<String> others = c.others(old);
            String next = c.awaitLeaderAmong(others);
            assertThat(next).isNotEqualTo(old);
            c.node(next).submit(Counter.add(2)).get(5, TimeUnit.SECONDS);
            c.heal();
            byte[] read = c.node(old).query(new byte[0], ReadConsistency.LINEARIZABLE).get(5, TimeUnit.SECONDS);
            assertThat(Counter.decode(read)).isEqualTo(2);
        }
    }

    @Test
    void aCrashedNodeRestartsFromItsLogWithANewStateMachine() throws Exception {
        try (TestCluster<Counter> c = TestCluster.builder(Counter::new).build()) {
            String leader = c.awaitLeader();
            String follower = c.others(leader).get(0);
            c.node(leader).submit(Counter.add(3)).get(5, TimeUnit.SECONDS);
            c.awaitApplied(c.node(leader).status().commitIndex());
            Counter before = c.stateMachine(follower);
            c.crash(follower);
            assertThat(c.node(follower).isRunning()).isFalse();
            c.node(leader).submit(Counter.add(4)).get(5, TimeUnit.SECONDS);
            c.restart(follower);
            assertThat(c.stateMachine(follower)).isNotSameAs(before);
            TestCluster.await("the restarted follower applying both writes", () -> c.stateMachine(follower).value() == 7);
            assertThatThrownBy(() -> c.restart(follower)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is running");
        }
    }

    @Test
    void withManualClocksNothingTimesOutUntilTheTestMovesTime() throws Exception {
        try (TestCluster<Counter> c = TestCluster.builder(Counter::new).manualClocks().build()) {
            // No time passes, so no election timeout runs out: nobody may lead yet.
            for (String id : c.ids()) {
                assertThat(c.node(id).status().role()).isNotEqualTo(RaftRole.LEADER);
            }
            c.advanceUntil(c.ids(), "a leader", () -> c.ids().stream()
                    .anyMatch(id -> c.node(id).status().role() == RaftRole.LEADER));
            String leader = c.awaitLeaderAmong(c.ids());
            long before = c.clock(leader).nanoTime();
            c.advance(List.of(leader), Duration.ofSeconds(1));
            assertThat(c.clock(leader).nanoTime() - before).isEqualTo(Duration.ofSeconds(1).toNanos());
        }
    }

    @Test
    void misuseIsNamed() {
        try (TestCluster<Counter> c = TestCluster.builder(Counter::new).nodes(1).build()) {
            assertThatThrownBy(() -> c.node("n9")).hasMessageContaining("no node n9");
            assertThatThrownBy(() -> c.clock("n1")).hasMessageContaining("manualClocks()");
            assertThatThrownBy(() -> c.addJoiningNode("n1")).hasMessageContaining("already exists");
        }
        assertThatThrownBy(() -> TestCluster.builder(Counter::new).nodes(0)).hasMessageContaining("at least one node");
    }

    @Test
    void aPartitionedMinorityCannotCommitWhileTheMajorityDoes() throws Exception {
        try (TestCluster<Counter> c = TestCluster.builder(Counter::new).nodes(5).build()) {
            String leader = c.awaitLeader();
            List<String> minority = List.of(leader, c.others(leader).get(0));
            List<String> majority = c.others(leader).subList(1, 4);
            c.partition(minority);
            String next = c.awaitLeaderAmong(majority);
            assertThat(majority).contains(next);
            assertThat(Counter.decode(c.node(next).submit(Counter.add(1)).get(5, TimeUnit.SECONDS))).isEqualTo(1);
            var stuck = c.node(leader).submit(Counter.add(100));
            c.heal();
            // The old leader's write could not commit on its side; after the heal it either commits or fails.
            c.awaitLeader();
            TestCluster.await("the minority's write to end", stuck::isDone);
            c.awaitApplied(c.node(c.awaitLeader()).status().commitIndex());
            long total = c.stateMachine(next).value();
            assertThat(total).isIn(1L, 101L);
            for (String id : c.ids()) {
                assertThat(c.stateMachine(id).value()).as(id).isEqualTo(total);
            }
        }
    }

    @Test
    void aJoiningNodeIsAddedAndCatchesUp() throws Exception {
        try (TestCluster<Counter> c = TestCluster.builder(Counter::new).build()) {
            String leader = c.awaitLeader();
            c.node(leader).submit(Counter.add(7)).get(5, TimeUnit.SECONDS);
            c.addJoiningNode("n4");
            c.node(leader).addVoter("n4", c.members().get("n4")).get(10, TimeUnit.SECONDS);
            TestCluster.await("n4 applying the write", () -> c.stateMachine("n4").value() == 7);
            assertThat(c.ids()).containsExactly("n1", "n2", "n3", "n4");
        }
    }
}
