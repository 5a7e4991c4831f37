package io.raftkit.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.core.ProposalAccepted;
import io.raftkit.core.CoreCluster;
import io.raftkit.core.RaftConfig;
import io.raftkit.core.RaftCore;
import io.raftkit.core.RaftRole;
import io.raftkit.core.ReadState;
import io.raftkit.core.message.Heartbeat;
import io.raftkit.core.message.Message;
import io.raftkit.core.message.VoteRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * A stale lease read with no clock involved (issue: "a second way to the same stale read"). A follower
 * that acknowledged a leader's heartbeat round adopts a higher term from a late pre-vote refusal, and
 * with it forgets its leader: it then granted a vote in the new term while the old leader's lease,
 * which counted on that follower's refusal, still held. The old leader served a read that missed a
 * write the new leader had committed.
 *
 * <p>The rule that closes it: a node that took an append or heartbeat from a leader grants no vote to
 * anyone for an election timeout of its own ticks after that, whatever happens to its term, its role
 * or the leader it knows of in between.
 */
class PreVoteRefusalLeaseTest {

    private final List<ReadState> readStates = new ArrayList<>();
    private final List<ProposalAccepted> accepted = new ArrayList<>();
    private final CoreCluster cluster = CoreCluster.withOneSeed(3, RaftConfig.defaults(), 5).observe((id, r) -> {
        readStates.addAll(r.readStates());
        accepted.addAll(r.acceptedProposals());
    });

    private static Predicate<Message> link(String from, String to) {
        return m -> m.from().equals(from) && m.to().equals(to);
    }

    @Test
    void aFollowerThatAdoptsAHigherTermFromAPreVoteRefusalStillHonoursTheLeaseItGranted() {
        RaftCore n1 = cluster.core("n1");
        RaftCore n2 = cluster.core("n2");
        RaftCore n3 = cluster.core("n3");

        // n2 pre-campaigns at term 0: its pre-vote request to n3 is delayed, the one to n1 lost.
        n2.campaign();
        cluster.processAll("n2");
        List<Message> delayedPreVote = cluster.take(link("n2", "n3"));
        cluster.take(link("n2", "n1"));
        assertThat(delayedPreVote).singleElement().matches(m -> m instanceof VoteRequest v && v.preVote());

        // n1 wins term 1 with n3's vote; everything n1 sends to n2 is late.
        n1.campaign();
        List<Message> lateToN2 = new ArrayList<>();
        pumpHolding(Set.of("n1", "n3"), lateToN2, link("n1", "n2"));
        assertThat(n1.role()).isEqualTo(RaftRole.LEADER);
        assertThat(n1.term()).isEqualTo(1);
        long oldCommit = n1.commitIndex();
        assertThat(oldCommit).as("n1's no-op committed with n3").isEqualTo(1);

        // n3 pre-campaigns; n2 (still a pre-candidate at term 0) grants; n3's real vote requests are lost.
        n3.campaign();
        cluster.processAll("n3");
        cluster.take(link("n3", "n1"));
        for (Message m : cluster.take(link("n3", "n2"))) {
            cluster.deliverNow(m);
        }
        for (Message m : cluster.take(link("n2", "n3"))) {
            cluster.deliverNow(m);
        }
        assertThat(n3.role()).isEqualTo(RaftRole.CANDIDATE);
        assertThat(n3.term()).isEqualTo(2);
        cluster.take(m -> m.from().equals("n3"));

        // n1's late messages reach n2, and n2 answers a heartbeat round: n1 holds a lease (n1 + n2).
        for (Message m : lateToN2) {
            cluster.deliverNow(m);
        }
        n1.tick();
        cluster.processAll("n1");
        cluster.take(link("n1", "n3"));
        pumpOnly(Set.of("n1", "n2"));
        assertThat(n2.leader()).isEqualTo("n1");
        assertThat(cluster.inFlight()).noneMatch(m -> m instanceof Heartbeat);

        // The delayed pre-vote request reaches n3 (term 2), which refuses it; n2 adopts term 2 from that.
        cluster.deliverNow(delayedPreVote.get(0));
        for (Message m : cluster.take(link("n3", "n2"))) {
            cluster.deliverNow(m);
        }
        assertThat(n2.term()).isEqualTo(2);
        cluster.take(link("n2", "n1"));

        // n3's election times out and it campaigns in term 3; only n2 hears it.
        while (n3.term() == 2) {
            n3.tick();
            cluster.processAll("n3");
        }
        cluster.take(link("n3", "n1"));
        pumpOnly(Set.of("n2", "n3"));
        if (n3.role() == RaftRole.LEADER) {
            n3.propose(7, "new".getBytes());
            pumpOnly(Set.of("n2", "n3"));
            long written = accepted.stream().filter(a -> a.requestId() == 7).findFirst().orElseThrow().index();
            assertThat(n3.commitIndex()).as("n3 committed the write").isGreaterThanOrEqualTo(written);
        }

        // n1, cut off, still believes it leads; whatever it serves must not miss a write n3 committed.
        cluster.inFlight().clear();
        assertThat(n1.role()).isEqualTo(RaftRole.LEADER);
        n1.read(8, true);
        cluster.processAll("n1");
        long newCommit = Math.max(n2.commitIndex(), n3.commitIndex());
        assertThat(readStates).as("a lease read on n1 (commit %d) while n3 committed up to %d", oldCommit, newCommit)
                .noneMatch(r -> r.requestId() == 8 && r.readIndex() < newCommit);
        assertThat(n3.role()).as("n2 refused its vote: it took n1's heartbeat less than an election timeout ago")
                .isNotEqualTo(RaftRole.LEADER);
    }

    /** Delivers among {@code up} until quiet, holding back (instead of delivering) what {@code hold} matches. */
    private void pumpHolding(Set<String> up, List<Message> held, Predicate<Message> hold) {
        for (String id : up) {
            cluster.processAll(id);
        }
        for (int round = 0; round < 100; round++) {
            held.addAll(cluster.take(hold));
            List<Message> batch = cluster.take(m -> up.contains(m.from()) && up.contains(m.to()));
            if (batch.isEmpty()) {
                return;
            }
            for (Message m : batch) {
                cluster.deliverNow(m);
            }
        }
    }

    /** Delivers among {@code up} until quiet; anything else stays in flight. */
    private void pumpOnly(Set<String> up) {
        pumpHolding(up, new ArrayList<>(), m -> false);
    }
}
