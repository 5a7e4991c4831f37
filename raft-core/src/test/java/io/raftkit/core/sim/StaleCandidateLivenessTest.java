package io.raftkit.core.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.core.Configuration;
import io.raftkit.core.RaftConfig;
import io.raftkit.core.RaftCore;
import io.raftkit.core.RaftRole;
import io.raftkit.core.Ready;
import io.raftkit.core.memory.InMemoryLogStorage;
import io.raftkit.core.message.Message;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    private final Map<String, RaftCore> cores = new LinkedHashMap<>();
    private final Map<String, InMemoryLogStorage> disks = new LinkedHashMap<>();
    private final List<Message> inFlight = new ArrayList<>();

    @Test
    void aCandidateThatCannotWinDoesNotKeepTheOthersFromElectingALeader() {
        RaftConfig config = RaftConfig.builder().preVote(false).build();
        for (String id : List.of("n1", "n2", "n3")) {
            disks.put(id, new InMemoryLogStorage());
            cores.put(id, new RaftCore(id, Configuration.of("n1", "n2", "n3"), disks.get(id), config, 5));
        }
        cores.get("n1").campaign();
        pump(Set.of("n1", "n2", "n3"));
        cores.get("n1").propose(1, "x".getBytes());
        pump(Set.of("n1", "n2")); // n3 misses the write: its log is now stale
        assertThat(cores.get("n2").commitIndex()).isEqualTo(cores.get("n1").lastIndex());

        // n1 is gone. n3's clock runs twice as fast as n2's.
        Set<String> up = Set.of("n2", "n3");
        for (int tick = 0; tick < 50 * config.electionTicks() && cores.get("n2").role() != RaftRole.LEADER; tick++) {
            cores.get("n3").tick();
            pump(up);
            cores.get("n3").tick();
            pump(up);
            cores.get("n2").tick();
            pump(up);
        }
        assertThat(cores.get("n2").role()).as("n2, whose log is up to date, wins in the end").isEqualTo(RaftRole.LEADER);
    }

    private void process(String id) {
        RaftCore core = cores.get(id);
        while (core.hasReady()) {
            Ready r = SynchronousDisk.persistNext(core, disks.get(id));
            inFlight.addAll(r.messages());
            inFlight.addAll(r.messagesAfterPersist());
        }
    }

    /** Delivers messages among {@code up} until quiet; messages to or from anyone else are lost. */
    private void pump(Set<String> up) {
        for (String id : up) {
            process(id);
        }
        for (int round = 0; round < 100 && !inFlight.isEmpty(); round++) {
            List<Message> batch = new ArrayList<>(inFlight);
            inFlight.clear();
            for (Message m : batch) {
                if (up.contains(m.from()) && up.contains(m.to())) {
                    cores.get(m.to()).step(m);
                    process(m.to());
                }
            }
        }
    }
}
