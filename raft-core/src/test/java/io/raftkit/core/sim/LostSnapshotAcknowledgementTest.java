package io.raftkit.core.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.core.Configuration;
import io.raftkit.core.RaftConfig;
import io.raftkit.core.RaftCore;
import io.raftkit.core.RaftRole;
import io.raftkit.core.Ready;
import io.raftkit.core.SnapshotMeta;
import io.raftkit.core.memory.InMemoryLogStorage;
import io.raftkit.core.message.AppendResponse;
import io.raftkit.core.message.Message;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
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

    private static final Set<String> ALL = Set.of("n1", "n2", "n3");

    private final Map<String, RaftCore> cores = new LinkedHashMap<>();
    private final Map<String, InMemoryLogStorage> disks = new LinkedHashMap<>();
    private final List<Message> inFlight = new ArrayList<>();
    private final List<String> snapshotsToSend = new ArrayList<>();

    @Test
    void aFollowerWhoseSnapshotAcknowledgementIsLostStillCatchesUp() {
        RaftConfig config = RaftConfig.defaults();
        for (String id : List.of("n1", "n2", "n3")) {
            disks.put(id, new InMemoryLogStorage());
            cores.put(id, new RaftCore(id, Configuration.of("n1", "n2", "n3"), disks.get(id), config, 3));
        }
        RaftCore leader = cores.get("n1");
        leader.campaign();
        pump(ALL, m -> true);
        assertThat(leader.role()).isEqualTo(RaftRole.LEADER);

        // n3 is cut off while three writes commit; then the leader snapshots and compacts its log.
        for (int i = 0; i < 3; i++) {
            leader.propose(i, ("w" + i).getBytes());
        }
        pump(Set.of("n1", "n2"), m -> true);
        long commit = leader.commitIndex();
        assertThat(commit).isEqualTo(leader.lastIndex());
        SnapshotMeta snapshot = new SnapshotMeta(commit, leader.termAt(commit), leader.configuration());
        disks.get("n1").compact(snapshot);

        // n3 is back: the leader finds the entries it lacks compacted and asks for a snapshot transfer.
        for (int tick = 0; tick < config.heartbeatTicks() && snapshotsToSend.isEmpty(); tick++) {
            leader.tick();
            pump(ALL, m -> true);
        }
        assertThat(snapshotsToSend).containsExactly("n3");

        // The transfer succeeds and n3 installs the snapshot, but its acknowledgement is lost.
        cores.get("n3").installSnapshot("n1", snapshot);
        pump(ALL, m -> !(m instanceof AppendResponse && m.from().equals("n3")));
        assertThat(cores.get("n3").commitIndex()).isEqualTo(commit);
        leader.snapshotSent("n3", true);

        // A healed, lossless network: a new write must reach n3.
        leader.propose(9, "after".getBytes());
        for (int tick = 0; tick < 5 * config.electionTicks(); tick++) {
            for (RaftCore c : cores.values()) {
                c.tick();
            }
            pump(ALL, m -> true);
        }
        assertThat(leader.role()).isEqualTo(RaftRole.LEADER);
        assertThat(cores.get("n3").commitIndex()).as("n3 caught up after the snapshot").isEqualTo(leader.lastIndex());
    }

    @Test
    void theSeedThatFoundItRunsClean() {
        SimResult r = Simulation.run(26);
        assertThat(r.snapshots().installed()).as("the schedule still installs snapshots").isPositive();
    }

    private void process(String id, Predicate<Message> delivered) {
        RaftCore core = cores.get(id);
        InMemoryLogStorage disk = disks.get(id);
        while (core.hasReady()) {
            Ready r = core.ready();
            if (r.snapshotToInstall() != null) {
                disk.compact(r.snapshotToInstall()); // the snapshot's data is the driver's business, not this test's
            }
            disk.append(r.entries());
            if (r.hardState() != null) {
                disk.saveHardState(r.hardState());
            }
            if (r.lastEntry() != null) {
                core.persisted(r.lastEntry().index(), r.lastEntry().term());
            }
            r.messages().stream().filter(delivered).forEach(inFlight::add);
            r.messagesAfterPersist().stream().filter(delivered).forEach(inFlight::add);
            snapshotsToSend.addAll(r.snapshotsToSend());
        }
    }

    /** Delivers messages among {@code up} until quiet; others, and those {@code delivered} rejects, are lost. */
    private void pump(Set<String> up, Predicate<Message> delivered) {
        for (String id : up) {
            process(id, delivered);
        }
        for (int round = 0; round < 100 && !inFlight.isEmpty(); round++) {
            List<Message> batch = new ArrayList<>(inFlight);
            inFlight.clear();
            for (Message m : batch) {
                if (up.contains(m.from()) && up.contains(m.to())) {
                    cores.get(m.to()).step(m);
                    process(m.to(), delivered);
                }
            }
        }
    }
}
