package io.raftkit.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.core.message.Message;
import io.raftkit.testkit.memory.InMemoryLogStorage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * Several cores wired together through an in-memory message queue, with no threads: the test decides
 * when messages are delivered, held back, dropped, or when time passes. Storage is in memory and
 * synchronous, so each Ready is persisted at once. The one harness for driving cores by hand: the
 * core's own tests, the step-by-step regression schedules the simulator found, and the scenario files.
 *
 * <p>Each core's seed (its election timeouts) comes from a base ({@link #CoreCluster(int, RaftConfig,
 * long)}) or is one given seed for every core ({@link #withOneSeed}), as the regression schedules were
 * written against.
 */
public final class CoreCluster {

    final RaftConfig config;
    final List<String> ids = new ArrayList<>();
    final Map<String, RaftCore> cores = new LinkedHashMap<>();
    final Map<String, InMemoryLogStorage> storages = new LinkedHashMap<>();
    /** Everything each node has been given to apply, in order. */
    final Map<String, List<Entry>> applied = new LinkedHashMap<>();
    final Map<String, List<ReadState>> readStates = new LinkedHashMap<>();
    final Map<String, List<ProposalAccepted>> accepted = new LinkedHashMap<>();
    final Map<String, List<RequestRejected>> rejected = new LinkedHashMap<>();
    final Map<String, List<String>> snapshotsToSend = new LinkedHashMap<>();
    final ArrayDeque<Message> queue = new ArrayDeque<>();
    /** Every message ever delivered or dropped, for assertions. */
    final List<Message> sent = new ArrayList<>();
    private final Set<String> cutLinks = new HashSet<>();
    private final Set<String> down = new HashSet<>();
    private long seed;
    private final boolean oneSeed;
    private final Configuration initial;
    private BiConsumer<String, Ready> observer = (id, r) -> {};

    CoreCluster(int n) {
        this(n, RaftConfig.defaults());
    }

    CoreCluster(int n, RaftConfig config) {
        this(n, config, 0);
    }

    CoreCluster(int n, RaftConfig config, long seedBase) {
        this(n, config, seedBase * 1000, false);
    }

    private CoreCluster(int n, RaftConfig config, long seed, boolean oneSeed) {
        this(n, config, seed, oneSeed, n);
    }

    /** The first {@code voters} of the n nodes are the group at its start; the others are not members yet. */
    private CoreCluster(int n, RaftConfig config, long seed, boolean oneSeed, int voters) {
        this.config = config;
        this.seed = seed;
        this.oneSeed = oneSeed;
        for (int i = 1; i <= n; i++) {
            ids.add("n" + i);
        }
        this.initial = new Configuration(new HashSet<>(ids.subList(0, voters)));
        for (String id : ids) {
            storages.put(id, new InMemoryLogStorage());
            start(id);
        }
    }

    /** Nodes n1..nN whose cores draw their seeds from {@code seedBase}, a new one at every (re)start. */
    public static CoreCluster of(int n, RaftConfig config, long seedBase) {
        return new CoreCluster(n, config, seedBase);
    }

    /**
     * Nodes n1..nN of which only n1..n{voters} form the group at its start; the others are spare nodes
     * with empty logs, to be added by configuration changes.
     */
    public static CoreCluster withSpares(int n, int voters, RaftConfig config, long seedBase) {
        return new CoreCluster(n, config, seedBase * 1000, false, voters);
    }

    /** Nodes n1..nN whose cores all draw their timeouts from {@code seed}. */
    public static CoreCluster withOneSeed(int n, RaftConfig config, long seed) {
        return new CoreCluster(n, config, seed, true);
    }

    /** Shows every Ready taken from now on to {@code observer} (with the node's id), after it was carried out. */
    public CoreCluster observe(BiConsumer<String, Ready> observer) {
        this.observer = observer;
        return this;
    }

    /** The group's configuration at its start. */
    Configuration configuration() {
        return initial;
    }

    private void start(String id) {
        cores.put(id, new RaftCore(id, configuration(), storages.get(id), config, oneSeed ? seed : ++seed * 7919));
        applied.put(id, new ArrayList<>());
        readStates.put(id, new ArrayList<>());
        accepted.put(id, new ArrayList<>());
        rejected.put(id, new ArrayList<>());
        snapshotsToSend.put(id, new ArrayList<>());
    }

    public RaftCore core(String id) {
        return cores.get(id);
    }

    /** Every node's core, in id order. */
    public Collection<RaftCore> cores() {
        return cores.values();
    }

    /** Every node's id. */
    public Set<String> all() {
        return Set.copyOf(ids);
    }

    public InMemoryLogStorage storage(String id) {
        return storages.get(id);
    }

    /** Persists, "sends" (queues) and records one node's Ready. Returns it. */
    public Ready process(String id) {
        RaftCore c = cores.get(id);
        Ready r = c.ready();
        InMemoryLogStorage s = storages.get(id);
        if (r.snapshotToInstall() != null) {
            s.compact(r.snapshotToInstall());
        }
        s.append(r.entries());
        if (r.hardState() != null) {
            s.saveHardState(r.hardState());
        }
        if (r.lastEntry() != null) {
            c.persisted(r.lastEntry().index(), r.lastEntry().term());
        }
        queue.addAll(r.messages());
        queue.addAll(r.messagesAfterPersist());
        applied.get(id).addAll(r.committedEntries());
        readStates.get(id).addAll(r.readStates());
        accepted.get(id).addAll(r.acceptedProposals());
        rejected.get(id).addAll(r.rejectedRequests());
        snapshotsToSend.get(id).addAll(r.snapshotsToSend());
        observer.accept(id, r);
        return r;
    }

    /** Processes {@code id}'s Readys until it has none. */
    public void processAll(String id) {
        while (cores.get(id).hasReady()) {
            process(id);
        }
    }

    /** Messages sent and not yet delivered; a test may inspect, clear or {@link #take} them. */
    public Collection<Message> inFlight() {
        return queue;
    }

    /** Removes and returns the in-flight messages that match {@code which} (to hold them back, or lose them). */
    public List<Message> take(Predicate<Message> which) {
        List<Message> taken = new ArrayList<>();
        queue.removeIf(m -> which.test(m) && taken.add(m));
        return taken;
    }

    /** Steps {@code m}'s addressee with it now, whatever the links, and carries out what that produces. */
    public void deliverNow(Message m) {
        sent.add(m);
        cores.get(m.to()).step(m);
        processAll(m.to());
    }

    /** Delivers messages among {@code up} until quiet; messages to or from anyone else are lost. */
    public void pump(Set<String> up) {
        pump(up, m -> true);
    }

    /** As {@link #pump(Set)}, and the messages {@code delivered} rejects are lost too. */
    public void pump(Set<String> up, Predicate<Message> delivered) {
        for (String id : up) {
            processAll(id);
        }
        for (int round = 0; round < 100 && !queue.isEmpty(); round++) {
            List<Message> batch = new ArrayList<>(queue);
            queue.clear();
            for (Message m : batch) {
                if (up.contains(m.from()) && up.contains(m.to()) && delivered.test(m)) {
                    deliverNow(m);
                } else {
                    sent.add(m);
                }
            }
        }
    }

    /** Processes every pending Ready and delivers every message until nothing moves. */
    void stabilize() {
        for (int rounds = 0; rounds < 10_000; rounds++) {
            boolean moved = false;
            for (String id : ids) {
                if (!down.contains(id) && cores.get(id).hasReady()) {
                    process(id);
                    moved = true;
                }
            }
            List<Message> batch = new ArrayList<>(queue);
            queue.clear();
            for (Message m : batch) {
                deliver(m);
                moved = true;
            }
            if (!moved) {
                return;
            }
        }
        throw new AssertionError("cluster did not stabilize");
    }

    /** Like {@link #stabilize()}, but drops every message matching {@code drop}. */
    void stabilizeDropping(Predicate<Message> drop) {
        for (int rounds = 0; rounds < 10_000; rounds++) {
            boolean moved = false;
            for (String id : ids) {
                if (!down.contains(id) && cores.get(id).hasReady()) {
                    process(id);
                    moved = true;
                }
            }
            if (!queue.isEmpty()) {
                moved = true;
                deliverOnly(drop.negate());
            }
            if (!moved) {
                return;
            }
        }
        throw new AssertionError("cluster did not stabilize");
    }

    /** Seeds a node's storage with entries of the given terms at indexes 1, 2, ... and a hard state term. */
    void seedLog(String id, long term, long... entryTerms) {
        InMemoryLogStorage s = storages.get(id);
        for (int i = 0; i < entryTerms.length; i++) {
            s.append(List.of(Entry.command(entryTerms[i], i + 1, ("e" + (i + 1) + "t" + entryTerms[i]).getBytes())));
        }
        s.saveHardState(new HardState(term, null, 0));
        start(id);
        cores.get(id).forgetLeaderContact();
    }

    /** Delivers queued messages matching {@code filter}, dropping the rest. */
    void deliverOnly(Predicate<Message> filter) {
        List<Message> batch = new ArrayList<>(queue);
        queue.clear();
        for (Message m : batch) {
            if (filter.test(m)) {
                deliver(m);
            } else {
                sent.add(m);
            }
        }
    }

    void deliver(Message m) {
        sent.add(m);
        if (down.contains(m.to()) || down.contains(m.from()) || cutLinks.contains(m.from() + "->" + m.to())) {
            return;
        }
        cores.get(m.to()).step(m);
    }

    /** Ticks every live node once and stabilizes. */
    void tick() {
        for (String id : ids) {
            if (!down.contains(id)) {
                cores.get(id).tick();
            }
        }
        stabilize();
    }

    void tick(int n) {
        for (int i = 0; i < n; i++) {
            tick();
        }
    }

    /** Makes {@code id} campaign and asserts that it wins. */
    String elect(String id) {
        cores.get(id).campaign();
        stabilize();
        assertThat(cores.get(id).role()).as("%s after campaigning", id).isEqualTo(RaftRole.LEADER);
        return id;
    }

    String leader() {
        String found = null;
        long bestTerm = -1;
        for (String id : ids) {
            RaftCore c = cores.get(id);
            if (!down.contains(id) && c.role() == RaftRole.LEADER && c.term() > bestTerm) {
                found = id;
                bestTerm = c.term();
            }
        }
        return found;
    }

    /** Lets restarted nodes vote at once, as if an election timeout had passed since their restart. */
    void passRestartLeases() {
        for (RaftCore c : cores.values()) {
            c.forgetLeaderContact();
        }
    }

    void isolate(String id) {
        for (String o : ids) {
            if (!o.equals(id)) {
                cutLinks.add(id + "->" + o);
                cutLinks.add(o + "->" + id);
            }
        }
    }

    void cut(String from, String to) {
        cutLinks.add(from + "->" + to);
    }

    void heal() {
        cutLinks.clear();
    }

    /** True when {@code m} would arrive now: both ends are up and its link is not cut. */
    boolean reachable(Message m) {
        return !down.contains(m.from()) && !down.contains(m.to()) && !cutLinks.contains(m.from() + "->" + m.to());
    }

    boolean isDown(String id) {
        return down.contains(id);
    }

    /** Stops a node: it loses everything not in its storage. */
    public void crash(String id) {
        down.add(id);
    }

    /** Restarts a crashed node from its durable state, with a core seeded anew (a new incarnation). */
    public void restart(String id) {
        down.remove(id);
        storages.put(id, storages.get(id).reopen());
        start(id);
    }

    /** Proposes {@code command} on {@code id} with a fresh request id and returns the id. */
    long propose(String id, String command) {
        long requestId = ++nextRequest;
        cores.get(id).propose(requestId, command.getBytes());
        return requestId;
    }

    private long nextRequest;

    /** The commands (as strings) a node has applied, skipping no-ops. */
    List<String> appliedCommands(String id) {
        List<String> out = new ArrayList<>();
        for (Entry e : applied.get(id)) {
            if (e.type() == EntryType.COMMAND) {
                out.add(new String(e.data()));
            }
        }
        return out;
    }

    /** The whole log of a node as (index/term) strings, for comparisons. */
    List<Entry> log(String id) {
        RaftCore c = cores.get(id);
        return c.entries(c.firstIndex(), c.lastIndex() + 1);
    }
}
