package io.raftkit.core.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.core.Configuration;
import io.raftkit.core.EntryType;
import io.raftkit.core.RaftConfig;
import io.raftkit.core.RaftCore;
import io.raftkit.core.RaftRole;
import io.raftkit.core.Ready;
import io.raftkit.core.RequestRejected;
import io.raftkit.core.memory.InMemoryLogStorage;
import io.raftkit.core.message.ForwardProposal;
import io.raftkit.core.message.ForwardProposalResponse;
import io.raftkit.core.message.Message;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
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

    private final Map<String, RaftCore> cores = new LinkedHashMap<>();
    private final Map<String, InMemoryLogStorage> disks = new LinkedHashMap<>();
    private final List<Message> inFlight = new ArrayList<>();
    private final List<RequestRejected> rejectedOnN1 = new ArrayList<>();

    @Test
    void aRejectedDuplicateOfAnAppendedForwardIsNotReportedAsNotAppended() {
        for (String id : List.of("n1", "n2", "n3")) {
            disks.put(id, new InMemoryLogStorage());
            cores.put(id, new RaftCore(id, Configuration.of("n1", "n2", "n3"), disks.get(id), RaftConfig.defaults(), 7));
        }
        cores.get("n3").campaign();
        pump(m -> true);
        assertThat(cores.get("n3").role()).isEqualTo(RaftRole.LEADER);
        assertThat(cores.get("n1").leader()).isEqualTo("n3");

        cores.get("n1").propose(42, "x".getBytes());
        process("n1");
        ForwardProposal forward = (ForwardProposal) inFlight.stream().filter(m -> m instanceof ForwardProposal)
                .findFirst().orElseThrow();
        inFlight.clear();
        cores.get("n3").step(forward); // the leader appends it...
        process("n3");
        inFlight.clear(); // ...and its answer (and everything else) is lost
        assertThat(cores.get("n3").entries(1, cores.get("n3").lastIndex() + 1))
                .anyMatch(e -> e.type() == EntryType.COMMAND);

        for (int i = 0; i < 3 * RaftConfig.defaults().electionTicks() && cores.get("n3").role() == RaftRole.LEADER; i++) {
            cores.get("n3").tick();
            process("n3");
            inFlight.clear();
        }
        assertThat(cores.get("n3").role()).isEqualTo(RaftRole.FOLLOWER);
        long term = cores.get("n3").term();

        cores.get("n3").step(forward); // the network delivers a duplicate
        process("n3");
        pump(m -> m instanceof ForwardProposalResponse);
        assertThat(cores.get("n3").term()).isEqualTo(term);
        assertThat(rejectedOnN1).extracting(RequestRejected::requestId).contains(42L);
        assertThat(rejectedOnN1).filteredOn(r -> r.requestId() == 42)
                .extracting(RequestRejected::reason)
                .as("the entry was appended by n3 and may commit, so the outcome is unknown")
                .containsOnly(RequestRejected.Reason.LEADER_CHANGED);
    }

    private void process(String id) {
        RaftCore core = cores.get(id);
        while (core.hasReady()) {
            Ready r = SynchronousDisk.persistNext(core, disks.get(id));
            inFlight.addAll(r.messages());
            inFlight.addAll(r.messagesAfterPersist());
            if (id.equals("n1")) {
                rejectedOnN1.addAll(r.rejectedRequests());
            }
        }
    }

    /** Delivers queued messages matching {@code filter} (dropping the rest) until none are left. */
    private void pump(Predicate<Message> filter) {
        for (String id : cores.keySet()) {
            process(id);
        }
        for (int round = 0; round < 100 && !inFlight.isEmpty(); round++) {
            List<Message> batch = new ArrayList<>(inFlight);
            inFlight.clear();
            for (Message m : batch) {
                if (filter.test(m)) {
                    cores.get(m.to()).step(m);
                    process(m.to());
                }
            }
        }
    }
}
