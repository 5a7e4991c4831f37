package io.raftkit.core.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.core.Configuration;
import io.raftkit.core.ProposalAccepted;
import io.raftkit.core.RaftConfig;
import io.raftkit.core.RaftCore;
import io.raftkit.core.RaftRole;
import io.raftkit.core.ReadState;
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
 * The lease's drift margin, step by step, with the default config (election timeout 10 ticks, lease 8).
 * {@code RaftConfig} calls the default lease "a 20% allowance for drift". But a follower stops refusing
 * votes once its elapsed ticks reach 10, which can come 9 of its periods after the heartbeat (its first
 * tick may come at once), while the leader's lease lasts until its 8th tick after the round, up to 8 of
 * its periods. With the leader's clock 20% slower (8 x 1.2 = 9.6 > 9 follower periods), the ticks below
 * are a possible real-time order: the followers elect a new leader and commit a write while the old
 * leader still serves a lease read of the old state.
 *
 * <p>Disabled because it fails on the current core: this is a report, not a fix. The margin really
 * is {@code (electionTicks - 1) / leaseTicks}: 12.5% at 10 ticks, 0% below 10 ticks. The simulator keeps
 * lease-read runs within it (see {@code SimOptions.leaseSafeSkew}). Enable this once the core's lease
 * default (or its documented allowance) accounts for the follower's one-tick granularity.
 */
class LeaseMarginTest {

    private final Map<String, RaftCore> cores = new LinkedHashMap<>();
    private final Map<String, InMemoryLogStorage> disks = new LinkedHashMap<>();
    private final List<Message> inFlight = new ArrayList<>();
    private final List<ReadState> readStates = new ArrayList<>();
    private final List<ProposalAccepted> accepted = new ArrayList<>();

    @Test

    void aLeaderWhoseClockIsTwentyPercentSlowDoesNotServeAStaleLeaseRead() {
        RaftConfig config = RaftConfig.defaults();
        for (String id : List.of("n1", "n2", "n3")) {
            disks.put(id, new InMemoryLogStorage());
            cores.put(id, new RaftCore(id, Configuration.of("n1", "n2", "n3"), disks.get(id), config, 11));
        }
        RaftCore old = cores.get("n1");
        old.campaign();
        pump(Set.of("n1", "n2", "n3"));
        assertThat(old.role()).isEqualTo(RaftRole.LEADER);

        // A heartbeat round that a majority answers at once: the lease starts at the leader's tick now.
        old.tick();
        pump(Set.of("n1", "n2", "n3"));
        long oldCommit = old.commitIndex();

        // n1 is cut off. In the same stretch of real time the followers tick 10 times, the leader 7.
        for (int i = 0; i < 10; i++) {
            if (i < 7) {
                old.tick();
                process("n1");
                inFlight.clear();
            }
            cores.get("n2").tick();
            cores.get("n3").tick();
            pump(Set.of("n2", "n3"));
        }
        cores.get("n2").campaign();
        pump(Set.of("n2", "n3"));
        assertThat(cores.get("n2").role()).as("the followers elected a new leader").isEqualTo(RaftRole.LEADER);
        cores.get("n2").propose(1, "new".getBytes());
        pump(Set.of("n2", "n3"));
        long written = accepted.get(0).index();
        assertThat(cores.get("n2").commitIndex()).as("a write committed under the new leader").isGreaterThanOrEqualTo(written);

        old.read(2, true);
        process("n1");
        assertThat(readStates).as("n1 must not serve a lease read that misses write %d (its commit is %d)", written,
                oldCommit).noneMatch(r -> r.requestId() == 2 && r.readIndex() < written);
    }

    private void process(String id) {
        RaftCore core = cores.get(id);
        while (core.hasReady()) {
            Ready r = SynchronousDisk.persistNext(core, disks.get(id));
            inFlight.addAll(r.messages());
            inFlight.addAll(r.messagesAfterPersist());
            readStates.addAll(r.readStates());
            accepted.addAll(r.acceptedProposals());
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
