package io.raftkit.core.sim;

import io.raftkit.core.Configuration;
import io.raftkit.core.RaftConfig;
import io.raftkit.core.RaftCore;
import io.raftkit.core.Ready;
import io.raftkit.core.memory.InMemoryLogStorage;
import io.raftkit.core.message.Message;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * Three real cores (n1, n2, n3) with instant disks and a network driven by hand, for the step-by-step
 * regression schedules that replay what a simulator seed found. A test ticks cores and calls
 * {@link #pump}, which delivers messages until none are left; every Ready taken is shown to the test's
 * observer, which keeps what it wants to assert on (read states, accepted proposals, ...).
 *
 * <p>Not {@code io.raftkit.core.CoreCluster}: that one is package-private to the core's tests and
 * derives each core's random seed from a base, while these schedules were written against cores built
 * with one given seed (their election timeouts are part of the schedule).
 */
final class StepByStepCluster {

    static final Set<String> ALL = Set.of("n1", "n2", "n3");

    private final Map<String, RaftCore> cores = new LinkedHashMap<>();
    private final Map<String, InMemoryLogStorage> disks = new LinkedHashMap<>();
    private final List<Message> inFlight = new ArrayList<>();
    private final BiConsumer<String, Ready> observer;

    StepByStepCluster(RaftConfig config, long seed, BiConsumer<String, Ready> observer) {
        this.observer = observer;
        for (String id : List.of("n1", "n2", "n3")) {
            disks.put(id, new InMemoryLogStorage());
            cores.put(id, new RaftCore(id, Configuration.of("n1", "n2", "n3"), disks.get(id), config, seed));
        }
    }

    RaftCore core(String id) {
        return cores.get(id);
    }

    InMemoryLogStorage disk(String id) {
        return disks.get(id);
    }

    Collection<RaftCore> cores() {
        return cores.values();
    }

    /** Messages sent and not yet delivered; a test may inspect, take or drop them. */
    List<Message> inFlight() {
        return inFlight;
    }

    /**
     * Carries out {@code id}'s Readys with a disk that is durable at once: a snapshot to install (its
     * log side; the data is the driver's business, not these tests'), entries, hard state, then
     * reporting them persisted; every message is queued.
     */
    void process(String id) {
        RaftCore core = cores.get(id);
        InMemoryLogStorage disk = disks.get(id);
        while (core.hasReady()) {
            Ready r = core.ready();
            if (r.snapshotToInstall() != null) {
                disk.compact(r.snapshotToInstall());
            }
            disk.append(r.entries());
            if (r.hardState() != null) {
                disk.saveHardState(r.hardState());
            }
            if (r.lastEntry() != null) {
                core.persisted(r.lastEntry().index(), r.lastEntry().term());
            }
            inFlight.addAll(r.messages());
            inFlight.addAll(r.messagesAfterPersist());
            observer.accept(id, r);
        }
    }

    /** Removes and returns the in-flight messages that match {@code which} (to hold them back, or lose them). */
    List<Message> take(Predicate<Message> which) {
        List<Message> taken = new ArrayList<>();
        inFlight.removeIf(m -> which.test(m) && taken.add(m));
        return taken;
    }

    /** Delivers {@code m} now and carries out what its addressee produces. */
    void deliver(Message m) {
        cores.get(m.to()).step(m);
        process(m.to());
    }

    /** Delivers messages among {@code up} until quiet; messages to or from anyone else are lost. */
    void pump(Set<String> up) {
        pump(up, m -> true);
    }

    /** As {@link #pump(Set)}, and the messages {@code delivered} rejects are lost too. */
    void pump(Set<String> up, Predicate<Message> delivered) {
        for (String id : up) {
            process(id);
        }
        for (int round = 0; round < 100 && !inFlight.isEmpty(); round++) {
            List<Message> batch = new ArrayList<>(inFlight);
            inFlight.clear();
            for (Message m : batch) {
                if (up.contains(m.from()) && up.contains(m.to()) && delivered.test(m)) {
                    cores.get(m.to()).step(m);
                    process(m.to());
                }
            }
        }
    }
}
