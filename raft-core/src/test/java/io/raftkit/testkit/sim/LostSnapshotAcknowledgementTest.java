package io.raftkit.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.core.CoreCluster;
import io.raftkit.core.RaftConfig;
import io.raftkit.core.RaftCore;
import io.raftkit.core.RaftRole;
import io.raftkit.core.SnapshotMeta;
import io.raftkit.core.message.AppendResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Regression for the simulator's seed 26 (LOSSY_NETWORK, snapshots every 41 entries, the first harness
 * that sent snapshots): the leader sent a snapshot to a follower that had fallen behind its compacted
 * log; the follower installed it and the transfer succeeded, but the follower's acknowledgement (an
 * ordinary append answer) was lost. The leader's record of that follower stayed in SNAPSHOT, which sends
 * nothing, and nothing ever moved it out: the follower never received another entry, even on a healed
 * network. The leader now probes after every transfer, successful or not (as etcd does).
 */
class LostSnapshotAcknowledgementTest {


    /** The leader's own transfer is under test: no follower is asked to send its snapshot instead. */
    private static final RaftConfig LEADER_SENDS = RaftConfig.builder().snapshotsFromFollowers(false).build();

    private final List<String> snapshotsToSend = new ArrayList<>();
    private final CoreCluster cluster =
            CoreCluster.withOneSeed(3, LEADER_SENDS, 3).observe((id, r) -> snapshotsToSend.addAll(r.snapshotsToSend()));

    @Test
    void aFollowerWhoseSnapshotAcknowledgementIsLostStillCatchesUp() {
        RaftConfig config = LEADER_SENDS;
        RaftCore leader = cluster.core("n1");
        leader.campaign();
        cluster.pump(cluster.all(), m -> true);
        assertThat(leader.role()).isEqualTo(RaftRole.LEADER);

        // n3 is cut off while three writes commit; then the leader snapshots and compacts its log.
        for (int i = 0; i < 3; i++) {
            leader.propose(i, ("w" + i).getBytes());
        }
        cluster.pump(Set.of("n1", "n2"), m -> true);
        long commit = leader.commitIndex();
        assertThat(commit).isEqualTo(leader.lastIndex());
        SnapshotMeta snapshot = new SnapshotMeta(commit, leader.termAt(commit), leader.configuration());
        cluster.storage("n1").compact(snapshot);

        // n3 is back: the leader finds the entries it lacks compacted and asks for a snapshot transfer.
        for (int tick = 0; tick < config.heartbeatTicks() && snapshotsToSend.isEmpty(); tick++) {
            leader.tick();
            cluster.pump(cluster.all(), m -> true);
        }
        assertThat(snapshotsToSend).containsExactly("n3");

        // The transfer succeeds and n3 installs the snapshot, but its acknowledgement is lost.
        cluster.core("n3").installSnapshot("n1", snapshot);
        cluster.pump(cluster.all(), m -> !(m instanceof AppendResponse && m.from().equals("n3")));
        assertThat(cluster.core("n3").commitIndex()).isEqualTo(commit);
        leader.snapshotSent("n3", true);

        // A healed, lossless network: a new write must reach n3.
        leader.propose(9, "after".getBytes());
        for (int tick = 0; tick < 5 * config.electionTicks(); tick++) {
            for (RaftCore c : cluster.cores()) {
                c.tick();
            }
            cluster.pump(cluster.all(), m -> true);
        }
        assertThat(leader.role()).isEqualTo(RaftRole.LEADER);
        assertThat(cluster.core("n3").commitIndex()).as("n3 caught up after the snapshot").isEqualTo(leader.lastIndex());
    }

    /**
     * The seed runs clean. (Its schedule changes as the simulator gains faults and mixes; the schedule
     * above is the regression.)
     */
    @Test
    void theSeedThatFoundItRunsClean() {
        Campaign.run(26);
    }
}
