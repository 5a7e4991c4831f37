package io.raftkit.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.core.CoreCluster;
import io.raftkit.core.RaftConfig;
import io.raftkit.core.RaftRole;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Regression for the simulator's seed 123483 (PAUSES_AND_SKEW, pre-vote off, harness of the commit that
 * fixed it): the nodes with stale logs had the fastest clocks, so they kept starting elections they
 * could not win, and every one of their vote requests restarted the election timers of the nodes that
 * could win, which therefore never timed out: no leader for 480 ticks on a healed network. Raft (5.2)
 * restarts the timer only on hearing from a leader or granting a vote.
 */
class StaleCandidateLivenessTest {

    @Test
    void aCandidateThatCannotWinDoesNotKeepTheOthersFromElectingALeader() {
        RaftConfig config = RaftConfig.builder().preVote(false).build();
        CoreCluster cluster = CoreCluster.withOneSeed(3, config, 5).observe((id, r) -> {});
        cluster.core("n1").campaign();
        cluster.pump(Set.of("n1", "n2", "n3"));
        cluster.core("n1").propose(1, "x".getBytes());
        cluster.pump(Set.of("n1", "n2")); // n3 misses the write: its log is now stale
        assertThat(cluster.core("n2").commitIndex()).isEqualTo(cluster.core("n1").lastIndex());

        // n1 is gone. n3's clock runs twice as fast as n2's.
        Set<String> up = Set.of("n2", "n3");
        for (int tick = 0; tick < 50 * config.electionTicks() && cluster.core("n2").role() != RaftRole.LEADER; tick++) {
            cluster.core("n3").tick();
            cluster.pump(up);
            cluster.core("n3").tick();
            cluster.pump(up);
            cluster.core("n2").tick();
            cluster.pump(up);
        }
        assertThat(cluster.core("n2").role()).as("n2, whose log is up to date, wins in the end").isEqualTo(RaftRole.LEADER);
    }
}
