package io.raftkit.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.core.CoreCluster;
import io.raftkit.core.RaftConfig;
import io.raftkit.core.RaftCore;
import io.raftkit.core.RaftRole;
import io.raftkit.core.SnapshotMeta;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Regression for seed 3781 (the first simulator campaign that ran the real runtime, {@code LOSSY_NETWORK},
 * snapshots every 5 entries): a follower stayed behind for good on a healed network with an idle
 * leader. Its snapshot transfer failed (the runtime's sender timed out), and the leader went back to
 * probing from just after the snapshot it had meant to send: past its own last index, as the log was
 * compacted to its end. A probe with nothing to carry went out only when something new was appended or
 * committed, and a heartbeat answer let more appends out only in REPLICATE. A heartbeat answer from a
 * follower that lacks entries now lets a probe out too, so the follower is probed, rejects, and gets a
 * new snapshot.
 */
class FailedSnapshotTransferTest {

    /** The leader's own transfer is under test: no follower is asked to send its snapshot instead. */
    private static final RaftConfig LEADER_SENDS = RaftConfig.builder().snapshotsFromFollowers(false).build();

    private final List<String> snapshotsToSend = new ArrayList<>();
    private final CoreCluster cluster =
            CoreCluster.withOneSeed(3, LEADER_SENDS, 3).observe((id, r) -> snapshotsToSend.addAll(r.snapshotsToSend()));

    @Test
    void anIdleLeaderRetriesASnapshotWhoseTransferFailed() {
        RaftConfig config = LEADER_SENDS;
        RaftCore leader = cluster.core("n1");
        leader.campaign();
        cluster.pump(cluster.all());
        assertThat(leader.role()).isEqualTo(RaftRole.LEADER);

        // n3 is cut off while writes commit; the leader snapshots and compacts its whole log.
        for (int i = 0; i < 3; i++) {
            leader.propose(i, ("w" + i).getBytes());
        }
        cluster.pump(Set.of("n1", "n2"));
        long commit = leader.commitIndex();
        assertThat(commit).isEqualTo(leader.lastIndex());
        cluster.storage("n1").compact(new SnapshotMeta(commit, leader.termAt(commit), leader.configuration()));

        // n3 is back: the leader asks for a snapshot transfer, which fails.
        for (int tick = 0; tick < config.heartbeatTicks() && snapshotsToSend.isEmpty(); tick++) {
            leader.tick();
            cluster.pump(cluster.all());
        }
        assertThat(snapshotsToSend).containsExactly("n3");
        leader.snapshotSent("n3", false);

        // Nothing new is written. On a lossless network the leader must try again by itself.
        for (int tick = 0; tick < 3 * config.electionTicks() && snapshotsToSend.size() < 2; tick++) {
            for (RaftCore c : cluster.cores()) {
                c.tick();
            }
            cluster.pump(cluster.all());
        }
        assertThat(snapshotsToSend).as("the leader asks for another transfer to n3").containsExactly("n3", "n3");
        assertThat(leader.role()).isEqualTo(RaftRole.LEADER);
    }

    /**
     * The seed runs clean. (Its schedule changes as the simulator gains faults and mixes; the schedule
     * above is the regression.)
     */
    @Test
    void theSeedThatFoundItRunsClean() {
        Campaign.run(3781);
    }
}
