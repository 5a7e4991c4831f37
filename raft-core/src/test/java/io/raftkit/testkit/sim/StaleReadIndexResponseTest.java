package io.raftkit.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.core.CoreCluster;
import io.raftkit.core.RaftConfig;
import io.raftkit.core.RaftCore;
import io.raftkit.core.RaftRole;
import io.raftkit.core.ReadState;
import io.raftkit.core.message.Message;
import io.raftkit.core.message.ReadIndexResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Regression for seed 35886 (runtime-driven simulator, {@code LEADER_CHURN}): a linearizable read on a
 * follower returned a value older than one a read elsewhere had returned before it began. The follower
 * had asked the leader for a read index, crashed, and restarted in the same term; its new incarnation
 * numbered requests from 1 again and asked for a read index under the same number. The leader's late
 * answer to the old request arrived first and was taken for the new one: a read index from before the
 * new read began. A follower now numbers its read-index requests from a random start of its own, so an
 * answer meant for an earlier incarnation (or an earlier stint as follower) matches nothing.
 */
class StaleReadIndexResponseTest {

    private final List<ReadState> readStates = new ArrayList<>();
    private final CoreCluster cluster = CoreCluster.of(3, RaftConfig.defaults(), 9)
            .observe((id, r) -> {
                if (id.equals("n2")) {
                    readStates.addAll(r.readStates());
                }
            });

    @Test
    void anAnswerToARestartedFollowersEarlierReadIsNotTakenForANewOne() {
        RaftCore leader = cluster.core("n1");
        leader.campaign();
        cluster.pump(cluster.all());
        assertThat(leader.role()).isEqualTo(RaftRole.LEADER);

        // n2 asks for a read index; the leader's answer is delayed.
        cluster.core("n2").read(1, false);
        cluster.processAll("n2");
        for (int round = 0; round < 100; round++) {
            List<Message> batch = cluster.take(m -> !(m instanceof ReadIndexResponse));
            if (batch.isEmpty()) {
                break;
            }
            batch.forEach(cluster::deliverNow);
        }
        List<Message> lateAnswer = cluster.take(m -> m instanceof ReadIndexResponse);
        assertThat(lateAnswer).hasSize(1);
        long oldIndex = ((ReadIndexResponse) lateAnswer.get(0)).readIndex();

        // n2 crashes and restarts in the same term; meanwhile a write commits.
        cluster.crash("n2");
        cluster.restart("n2");
        leader.propose(7, "newer".getBytes());
        cluster.pump(cluster.all());
        assertThat(leader.commitIndex()).isGreaterThan(oldIndex);
        assertThat(cluster.core("n2").term()).isEqualTo(leader.term());

        // The new incarnation reads under the same request number; the old answer arrives first.
        readStates.clear();
        cluster.core("n2").read(1, false);
        cluster.processAll("n2");
        cluster.take(m -> true); // its own request is slow
        cluster.deliverNow(lateAnswer.get(0));
        assertThat(readStates).as("n2 must not serve a read that began after write %d at read index %d",
                leader.commitIndex(), oldIndex).noneMatch(r -> r.readIndex() < leader.commitIndex());
    }

    @Test
    void theSeedThatFoundItRunsClean() {
        Campaign.run(35886);
    }
}
