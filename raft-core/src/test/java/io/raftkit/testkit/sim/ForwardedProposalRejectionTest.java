package io.raftkit.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.core.EntryType;
import io.raftkit.core.CoreCluster;
import io.raftkit.core.RaftConfig;
import io.raftkit.core.RaftRole;
import io.raftkit.core.RequestRejected;
import io.raftkit.core.message.ForwardProposal;
import io.raftkit.core.message.ForwardProposalResponse;
import io.raftkit.core.message.Message;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Regression for the simulator's seed 18326 (LEADER_CHURN mix, at the harness of the commit that fixed
 * it): a follower forwarded a proposal to the leader, which appended it; the answer was lost; the leader
 * stepped down (check-quorum) in the same term; a duplicate of the forward then reached it, and it
 * answered "not accepted". The follower reported NOT_LEADER, which promises that nothing was appended,
 * yet the entry committed. A rejection can come from a leader that had already appended an earlier
 * copy, so the outcome is unknown: LEADER_CHANGED.
 */
class ForwardedProposalRejectionTest {

    private final List<RequestRejected> rejectedOnN1 = new ArrayList<>();
    private final CoreCluster cluster = CoreCluster.withOneSeed(3, RaftConfig.defaults(), 7).observe((id, r) -> {
        if (id.equals("n1")) {
            rejectedOnN1.addAll(r.rejectedRequests());
        }
    });

    @Test
    void aRejectedDuplicateOfAnAppendedForwardIsNotReportedAsNotAppended() {
        java.util.Collection<Message> inFlight = cluster.inFlight();
        cluster.core("n3").campaign();
        cluster.pump(cluster.all());
        assertThat(cluster.core("n3").role()).isEqualTo(RaftRole.LEADER);
        assertThat(cluster.core("n1").leader()).isEqualTo("n3");

        cluster.core("n1").propose(42, "x".getBytes());
        cluster.processAll("n1");
        ForwardProposal forward = (ForwardProposal) inFlight.stream().filter(m -> m instanceof ForwardProposal)
                .findFirst().orElseThrow();
        inFlight.clear();
        cluster.core("n3").step(forward); // the leader appends it...
        cluster.processAll("n3");
        inFlight.clear(); // ...and its answer (and everything else) is lost
        assertThat(cluster.core("n3").entries(1, cluster.core("n3").lastIndex() + 1))
                .anyMatch(e -> e.type() == EntryType.COMMAND);

        for (int i = 0; i < 3 * RaftConfig.defaults().electionTicks() && cluster.core("n3").role() == RaftRole.LEADER; i++) {
            cluster.core("n3").tick();
            cluster.processAll("n3");
            inFlight.clear();
        }
        assertThat(cluster.core("n3").role()).isEqualTo(RaftRole.FOLLOWER);
        long term = cluster.core("n3").term();

        cluster.core("n3").step(forward); // the network delivers a duplicate
        cluster.processAll("n3");
        cluster.pump(cluster.all(), m -> m instanceof ForwardProposalResponse);
        assertThat(cluster.core("n3").term()).isEqualTo(term);
        assertThat(rejectedOnN1).extracting(RequestRejected::requestId).contains(42L);
        assertThat(rejectedOnN1).filteredOn(r -> r.requestId() == 42)
                .extracting(RequestRejected::reason)
                .as("the entry was appended by n3 and may commit, so the outcome is unknown")
                .containsOnly(RequestRejected.Reason.LEADER_CHANGED);
    }
}
