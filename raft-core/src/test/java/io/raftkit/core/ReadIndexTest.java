package io.raftkit.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.core.message.AppendRequest;
import io.raftkit.core.message.Heartbeat;
import io.raftkit.core.message.Message;
import io.raftkit.core.message.ReadIndexRequest;
import io.raftkit.core.message.ReadIndexResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ReadIndex (Raft thesis section 6.4) and lease reads. */
class ReadIndexTest {

    private static CoreCluster clusterWithCommittedWrite() {
        CoreCluster cl = new CoreCluster(3);
        cl.elect("n1");
        cl.propose("n1", "a");
        cl.stabilize();
        return cl;
    }

    @Test
    void theLeaderReleasesAReadOnlyAfterAMajorityAnswersAHeartbeatRoundStartedAfterIt() {
        CoreCluster cl = clusterWithCommittedWrite();
        RaftCore leader = cl.core("n1");
        leader.read(7, false);
        Ready r = cl.process("n1");
        assertThat(r.readStates()).isEmpty();
        List<Message> heartbeats = r.messages().stream().filter(m -> m instanceof Heartbeat).toList();
        assertThat(heartbeats).hasSize(2);
        // Answers from n2 alone make a majority with the leader.
        cl.deliverOnly(m -> m.to().equals("n2"));
        cl.process("n2");
        cl.deliverOnly(m -> m.from().equals("n2"));
        assertThat(cl.process("n1").readStates()).containsExactly(new ReadState(7, 2));
    }

    @Test
    void readsArrivingTogetherShareOneHeartbeatRound() {
        CoreCluster cl = clusterWithCommittedWrite();
        for (long id = 1; id <= 10; id++) {
            cl.core("n1").read(id, false);
        }
        Ready r = cl.process("n1");
        assertThat(r.messages().stream().filter(m -> m instanceof Heartbeat)).hasSize(2);
        cl.stabilize();
        assertThat(cl.readStates.get("n1")).hasSize(10).allSatisfy(s -> assertThat(s.readIndex()).isEqualTo(2));
    }

    @Test
    void aNewLeaderServesNoReadIndexUntilItHasCommittedAnEntryOfItsTerm() {
        CoreCluster cl = clusterWithCommittedWrite();
        cl.isolate("n1");
        for (int i = 0; i < 100 && (cl.leader() == null || cl.leader().equals("n1")); i++) {
            cl.tick();
        }
        cl.heal();
        cl.crash("n1");
        String newLeader = cl.leader();
        RaftCore c = cl.core(newLeader);
        // Make the new leader lose its no-op's acknowledgements: it cannot know its commit is current.
        String other = cl.ids.stream().filter(id -> !id.equals(newLeader) && !id.equals("n1")).findFirst().get();
        cl.cut(other, newLeader);
        c.read(5, false);
        cl.stabilize();
        c.tick();
        cl.stabilize();
        assertThat(cl.readStates.get(newLeader)).isEmpty();
        cl.heal();
        cl.tick(2);
        assertThat(cl.readStates.get(newLeader)).singleElement().satisfies(s -> {
            assertThat(s.requestId()).isEqualTo(5);
            assertThat(c.termAt(s.readIndex())).isEqualTo(c.term());
        });
    }

    @Test
    void aFollowerObtainsAReadIndexFromTheLeader() {
        CoreCluster cl = clusterWithCommittedWrite();
        cl.core("n2").read(9, false);
        Ready r = cl.process("n2");
        // The request carries the follower's own id for it, not the driver's (see FollowerRole).
        assertThat(r.messages()).singleElement().isInstanceOfSatisfying(ReadIndexRequest.class, m -> {
            assertThat(m.to()).isEqualTo("n1");
            assertThat(m.term()).isEqualTo(cl.core("n2").term());
        });
        cl.stabilize();
        assertThat(cl.sent).anySatisfy(m -> assertThat(m).isInstanceOf(ReadIndexResponse.class));
        assertThat(cl.readStates.get("n2")).containsExactly(new ReadState(9, 2));
    }

    @Test
    void aLeaderCutOffFromTheMajorityServesNoReadAndFailsItWhenItStepsDown() {
        CoreCluster cl = clusterWithCommittedWrite();
        cl.isolate("n1");
        cl.core("n1").read(3, false);
        for (int i = 0; i < 2 * cl.config.electionTicks() && cl.core("n1").role() == RaftRole.LEADER; i++) {
            cl.tick();
        }
        assertThat(cl.readStates.get("n1")).isEmpty();
        assertThat(cl.rejected.get("n1")).containsExactly(new RequestRejected(3, RequestRejected.Reason.LEADER_CHANGED));
    }

    @Test
    void aReadWithNoKnownLeaderIsRejected() {
        CoreCluster cl = new CoreCluster(3);
        cl.core("n2").read(4, false);
        cl.process("n2");
        assertThat(cl.rejected.get("n2")).containsExactly(new RequestRejected(4, RequestRejected.Reason.NO_LEADER));
    }

    @Test
    void aLeaseReadIsServedAtOnceWhileTheLeaseHolds() {
        CoreCluster cl = clusterWithCommittedWrite();
        cl.tick(); // a heartbeat round acknowledged by a majority starts the lease
        cl.core("n1").read(11, true);
        Ready r = cl.process("n1");
        // The lease runs from the tick the acknowledged round was sent at: this one.
        long expiry = cl.core("n1").ticks() + cl.config.leaseTicks();
        assertThat(r.readStates()).containsExactly(new ReadState(11, 2, expiry));
        assertThat(r.messages()).noneMatch(m -> m instanceof Heartbeat);
    }

    @Test
    void aLeaseReadFallsBackToAHeartbeatRoundOnceTheLeaseHasExpired() {
        CoreCluster cl = clusterWithCommittedWrite();
        cl.tick();
        cl.isolate("n1");
        for (int i = 0; i < cl.config.leaseTicks(); i++) {
            cl.core("n1").tick();
            cl.process("n1");
        }
        assertThat(cl.core("n1").role()).isEqualTo(RaftRole.LEADER);
        cl.core("n1").read(12, true);
        Ready r = cl.process("n1");
        assertThat(r.readStates()).isEmpty();
        assertThat(r.messages()).anyMatch(m -> m instanceof Heartbeat);
    }

    @Test
    void aFollowerWithTheLeaderGoneFailsItsPendingRead() {
        CoreCluster cl = clusterWithCommittedWrite();
        cl.cut("n1", "n2");
        cl.core("n2").read(13, false);
        cl.stabilize();
        // n2 stops hearing from n1 and campaigns; its pending read fails.
        for (int i = 0; i < 3 * cl.config.electionTicks() && cl.rejected.get("n2").isEmpty(); i++) {
            cl.core("n2").tick();
            cl.stabilize();
        }
        assertThat(cl.rejected.get("n2")).containsExactly(new RequestRejected(13, RequestRejected.Reason.LEADER_CHANGED));
        assertThat(cl.sent).noneMatch(m -> m instanceof AppendRequest a && a.term() > cl.core("n1").term() + 5);
    }
}
