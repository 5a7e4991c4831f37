package io.raftkit.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.core.ProposalAccepted;
import io.raftkit.core.CoreCluster;
import io.raftkit.core.RaftConfig;
import io.raftkit.core.RaftCore;
import io.raftkit.core.RaftRole;
import io.raftkit.core.ReadState;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The lease's drift margin, step by step, with the default config (election timeout 10 ticks, lease 8).
 * {@code RaftConfig} calls the default lease "a 20% allowance for drift". But a follower stops refusing
 * votes once its elapsed ticks reach 10, which can come 9 of its periods after the heartbeat (its first
 * tick may come at once), while the leader's lease lasts until its 8th tick after the round, up to 8 of
 * its periods. With the leader's clock 20% slower (8 x 1.2 = 9.6 > 9 follower periods), the ticks below
 * are a possible real-time order: the followers elect a new leader and commit a write while the old
 * leader still serves a lease read of the old state.
 *
 * <p>It failed with the earlier default lease of 8 ticks, whose real margin was
 * {@code (electionTicks - 1) / leaseTicks} = 12.5%; the default is now {@code floor((T - 1) / 1.2)} = 7
 * ticks, which covers the 20% the config promises.
 */
class LeaseMarginTest {

    private final List<ReadState> readStates = new ArrayList<>();
    private final List<ProposalAccepted> accepted = new ArrayList<>();
    private final CoreCluster cluster = CoreCluster.withOneSeed(3, RaftConfig.defaults(), 11).observe((id, r) -> {
        readStates.addAll(r.readStates());
        accepted.addAll(r.acceptedProposals());
    });

    @Test
    void aLeaderWhoseClockIsTwentyPercentSlowDoesNotServeAStaleLeaseRead() {
        RaftCore old = cluster.core("n1");
        old.campaign();
        cluster.pump(cluster.all());
        assertThat(old.role()).isEqualTo(RaftRole.LEADER);

        // A heartbeat round that a majority answers at once: the lease starts at the leader's tick now.
        old.tick();
        cluster.pump(cluster.all());
        long oldCommit = old.commitIndex();

        // n1 is cut off. In the same stretch of real time the followers tick 10 times, the leader 7.
        for (int i = 0; i < 10; i++) {
            if (i < 7) {
                old.tick();
                cluster.processAll("n1");
                cluster.inFlight().clear();
            }
            cluster.core("n2").tick();
            cluster.core("n3").tick();
            cluster.pump(Set.of("n2", "n3"));
        }
        cluster.core("n2").campaign();
        cluster.pump(Set.of("n2", "n3"));
        assertThat(cluster.core("n2").role()).as("the followers elected a new leader").isEqualTo(RaftRole.LEADER);
        cluster.core("n2").propose(1, "new".getBytes());
        cluster.pump(Set.of("n2", "n3"));
        long written = accepted.get(0).index();
        assertThat(cluster.core("n2").commitIndex()).as("a write committed under the new leader").isGreaterThanOrEqualTo(written);

        old.read(2, true);
        cluster.processAll("n1");
        assertThat(readStates).as("n1 must not serve a lease read that misses write %d (its commit is %d)", written,
                oldCommit).noneMatch(r -> r.requestId() == 2 && r.readIndex() < written);
    }
}
