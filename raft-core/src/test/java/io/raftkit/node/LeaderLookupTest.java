package io.raftkit.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkit.testkit.TestCluster;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The cheap leader lookups: {@code isLeader}, {@code leader} and {@code awaitLeader}. */
class LeaderLookupTest {

    @Test
    void everyNodeLearnsTheLeaderAndExactlyOneSaysItLeads() throws Exception {
        try (TestCluster<TestKv> c = TestCluster.builder(TestKv::new).build()) {
            String leader = c.node("n1").awaitLeader(Duration.ofSeconds(20)).get(30, TimeUnit.SECONDS);
            assertThat(c.ids()).contains(leader);
            String agreed = c.awaitLeader();
            for (String id : c.ids()) {
                assertThat(c.node(id).awaitLeader(Duration.ofSeconds(20)).get(30, TimeUnit.SECONDS)).isEqualTo(agreed);
                assertThat(c.node(id).leader()).isEqualTo(agreed);
                assertThat(c.node(id).isLeader()).isEqualTo(id.equals(agreed));
            }
            c.node(agreed).close();
            assertThat(c.node(agreed).isLeader()).as("a closed node leads nothing").isFalse();
        }
    }

    @Test
    void aNodeThatKnowsNoLeaderFailsTheWaitWithNoLeader() throws Exception {
        try (TestCluster<TestKv> c = TestCluster.builder(TestKv::new).build()) {
            c.awaitLeader();
            c.addJoiningNode("n4"); // never added: it hears from no leader
            assertThat(c.node("n4").leader()).isNull();
            assertThatThrownBy(() -> c.node("n4").awaitLeader(Duration.ofMillis(100)).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(NoLeaderException.class)
                    .hasMessageContaining("no leader within");
        }
    }
}
