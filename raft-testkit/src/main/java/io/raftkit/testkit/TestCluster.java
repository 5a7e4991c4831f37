package io.raftkit.testkit;

import io.raftkit.core.RaftConfig;
import io.raftkit.core.RaftRole;
import io.raftkit.core.StateMachine;
import io.raftkit.node.Clock;
import io.raftkit.node.NodeOptions;
import io.raftkit.node.NodeStatus;
import io.raftkit.node.RaftNode;
import io.raftkit.testkit.memory.InMemoryLogStorage;
import io.raftkit.testkit.memory.InMemoryNetwork;
import io.raftkit.testkit.memory.InMemorySnapshotStore;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A group of real {@link RaftNode}s of your {@link StateMachine}, threads and all, over the in-memory
 * transport, log and snapshot store: the runtime that runs in production, without sockets or files, for
 * fast tests of an embedding.
 *
 * <pre>{@code
 * try (TestCluster<Counter> cluster = TestCluster.builder(Counter::new).nodes(3).build()) {
 *     String leader = cluster.awaitLeader();
 *     cluster.node(leader).submit(increment).get(5, SECONDS);
 *     cluster.isolate(leader);                        // the others elect a new leader
 *     String next = cluster.awaitLeaderAmong(cluster.others(leader));
 *     cluster.heal();
 *     cluster.crash(next);                            // its log survives; its state machine does not
 *     cluster.restart(next);
 * }
 * }</pre>
 *
 * <p>Nodes are named {@code n1}..{@code nN}. With {@link Builder#manualClocks()} every node gets its own
 * {@link ManualClock}: nothing times out until the test moves time ({@link #advance},
 * {@link #advanceUntil}), so a test can stall one node's time or run out a lease deterministically.
 * Waiting is always for a condition ({@link #await}), with a deadline of {@link #AWAIT} after which it
 * fails naming what it waited for.
 *
 * <p>Thread-safe: clients on other threads may call {@link #node} while the test crashes and restarts
 * nodes (a client that reaches a crashed node gets what a closed {@code RaftNode} answers).
 *
 * @param <S> the state machine type
 */
public final class TestCluster<S extends StateMachine> implements AutoCloseable {

    /** How long {@link #await} and the methods built on it wait before they fail. */
    public static final Duration AWAIT = Duration.ofSeconds(20);

    private final Supplier<S> stateMachines;
    private final NodeOptions options;
    private final boolean manualClocks;
    private final Executor completions;
    private final InMemoryNetwork network = new InMemoryNetwork();
    // Clients on other threads read these while the test's thread crashes and restarts nodes.
    private final List<String> ids = new CopyOnWriteArrayList<>();
    private volatile Map<String, String> members = Map.of();
    private final Map<String, RaftNode> nodes = new ConcurrentHashMap<>();
    private final Map<String, S> machines = new ConcurrentHashMap<>();
    private final Map<String, InMemoryLogStorage> logs = new ConcurrentHashMap<>();
    private final Map<String, InMemorySnapshotStore> snapshots = new ConcurrentHashMap<>();
    private final Map<String, Clock> clocks = new ConcurrentHashMap<>();

    private TestCluster(Builder<S> b) {
        this.stateMachines = b.stateMachines;
        this.options = b.options;
        this.manualClocks = b.manualClocks;
        this.completions = b.completions;
        Map<String, String> initial = new LinkedHashMap<>();
        for (int i = 1; i <= b.nodes; i++) {
            ids.add("n" + i);
            initial.put("n" + i, "mem:" + i);
        }
        members = Collections.unmodifiableMap(initial);
        for (String id : ids) {
            fresh(id);
            start(id, false);
        }
    }

    /** A cluster whose nodes each run a new state machine from {@code stateMachines}. */
    public static <S extends StateMachine> Builder<S> builder(Supplier<S> stateMachines) {
        return new Builder<>(stateMachines);
    }

    /**
     * Options for tests: 10 ms ticks, elections after 10 ticks and a heartbeat every tick (a leader in
     * tens of milliseconds), requests time out after 5 s, a snapshot every {@code snapshotEveryEntries}
     * entries, sent in 1 KiB chunks (so that a transfer takes several).
     */
    public static NodeOptions fastOptions(long snapshotEveryEntries) {
        return NodeOptions.builder()
                .raft(RaftConfig.builder().electionTicks(10).heartbeatTicks(1).build())
                .tickInterval(Duration.ofMillis(10))
                .requestTimeout(Duration.ofSeconds(5))
                .snapshotEveryEntries(snapshotEveryEntries)
                .snapshotChunkBytes(1024)
                .build();
    }

    // ---- the group --------------------------------------------------------------------------------

    /** Every node's id, in the order they were added, crashed ones included. */
    public List<String> ids() {
        return Collections.unmodifiableList(ids);
    }

    /** Every node's id but {@code id}. */
    public List<String> others(String id) {
        return ids.stream().filter(i -> !i.equals(id)).collect(Collectors.toList());
    }

    /** Every node's in-memory address by id ({@code mem:1}.. for the first, {@code mem:<id>} for joiners). */
    public Map<String, String> members() {
        return members;
    }

    /** Node {@code id}'s current incarnation (after {@link #restart}, the new one). */
    public RaftNode node(String id) {
        return get(nodes, id);
    }

    /** The state machine node {@code id}'s current incarnation applies to. */
    public S stateMachine(String id) {
        return get(machines, id);
    }

    /** Node {@code id}'s log, kept across crashes. */
    public InMemoryLogStorage logStorage(String id) {
        return get(logs, id);
    }

    /** Node {@code id}'s snapshots, kept across crashes. */
    public InMemorySnapshotStore snapshotStore(String id) {
        return get(snapshots, id);
    }

    /** Node {@code id}'s clock: a {@link ManualClock} if the cluster was built with them. */
    public ManualClock clock(String id) {
        Clock c = get(clocks, id);
        if (c instanceof ManualClock m) {
            return m;
        }
        throw new IllegalStateException("node " + id + " runs on the system clock: build the cluster with manualClocks()");
    }

    /** The network between the nodes, for finer faults than {@link #isolate} (one-way cuts, dropped messages). */
    public InMemoryNetwork network() {
        return network;
    }

    /** The options every node runs with. */
    public NodeOptions options() {
        return options;
    }

    // ---- faults -----------------------------------------------------------------------------------

    /** Cuts {@code id} off from every other node, both ways, until {@link #heal}. */
    public void isolate(String id) {
        network.isolate(id, Set.copyOf(others(id)));
    }

    /** Cuts every link between {@code side} and the rest, both ways, until {@link #heal}. */
    public void partition(Collection<String> side) {
        for (String a : side) {
            for (String b : ids) {
                if (!side.contains(b)) {
                    network.cut(a, b);
                    network.cut(b, a);
                }
            }
        }
    }

    /** Restores every link and stops dropping messages. */
    public void heal() {
        network.heal();
    }

    /**
     * Stops node {@code id} as a crash would: it stops answering and its state machine is thrown away;
     * its log and snapshots keep what it had made durable. {@link #restart} brings it back.
     */
    public void crash(String id) {
        node(id).close();
    }

    /** Starts node {@code id} again, after {@link #crash}, from its log and snapshots and a new state machine. */
    public void restart(String id) {
        if (node(id).isRunning()) {
            throw new IllegalStateException("node " + id + " is running: crash it before restarting it");
        }
        logs.put(id, logStorage(id).reopen());
        start(id, false);
    }

    /**
     * Starts a new, empty node {@code id} that waits to be added to the group (with
     * {@code RaftNode.addVoter} on the leader, at address {@code "mem:" + id}).
     */
    public void addJoiningNode(String id) {
        if (ids.contains(id)) {
            throw new IllegalArgumentException("node " + id + " already exists");
        }
        ids.add(id);
        fresh(id);
        start(id, true);
    }

    // ---- waiting ----------------------------------------------------------------------------------

    /** Waits until exactly one running node leads and every running node knows it; returns its id. */
    public String awaitLeader() {
        return awaitLeaderAmong(ids);
    }

    /**
     * Waits until exactly one of the running nodes among {@code among} leads and all of those know it
     * (the others, on the far side of a partition, may think what they like); returns its id.
     */
    public String awaitLeaderAmong(Collection<String> among) {
        String[] found = new String[1];
        await("a leader among " + among + " known to them all", () -> {
            String leader = null;
            for (String id : among) {
                RaftNode n = node(id);
                NodeStatus s = n.status();
                if (s.failure() != null || !n.isRunning()) {
                    continue;
                }
                if (s.role() == RaftRole.LEADER) {
                    if (leader != null) {
                        return false;
                    }
                    leader = s.id();
                }
            }
            if (leader == null) {
                return false;
            }
            for (String id : among) {
                RaftNode n = node(id);
                if (n.isRunning() && !leader.equals(n.status().leader())) {
                    return false;
                }
            }
            found[0] = leader;
            return true;
        });
        return found[0];
    }

    /** Waits until every running node has applied at least {@code index}. */
    public void awaitApplied(long index) {
        await("every running node applying " + index, () -> nodes.values().stream()
                .filter(RaftNode::isRunning).allMatch(n -> n.status().appliedIndex() >= index));
    }

    /** Polls {@code condition} until it holds; fails after {@link #AWAIT} with "timed out waiting for {@code what}". */
    public static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + AWAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    // ---- time -------------------------------------------------------------------------------------

    /** Moves the manual clocks of {@code ids} on by {@code d} at once. */
    public void advance(Collection<String> ids, Duration d) {
        for (String id : ids) {
            clock(id).advance(d);
        }
    }

    /**
     * Moves the manual clocks of {@code ids} on by one tick interval at a time, as often as it takes for
     * {@code condition} to hold, giving the nodes a tick interval of real time to act on each move (their
     * loops wake that often); fails after {@link #AWAIT} naming {@code what}.
     */
    public void advanceUntil(Collection<String> ids, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + AWAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + " while advancing the clocks of " + ids);
            }
            advance(ids, options.tickInterval());
            LockSupport.parkNanos(options.tickInterval().toNanos());
        }
    }

    /** Closes every node. */
    @Override
    public void close() {
        for (String id : ids) {
            node(id).close();
        }
    }

    private void fresh(String id) {
        if (!members.containsKey(id)) {
            Map<String, String> more = new LinkedHashMap<>(members);
            more.put(id, "mem:" + id);
            members = Collections.unmodifiableMap(more);
        }
        clocks.put(id, manualClocks ? new ManualClock() : Clock.system());
        logs.put(id, new InMemoryLogStorage());
        snapshots.put(id, new InMemorySnapshotStore());
    }

    private void start(String id, boolean joining) {
        S machine = Objects.requireNonNull(stateMachines.get(), "the state machine supplier returned null");
        RaftNode.Builder builder = RaftNode.builder().id(id);
        if (joining) {
            builder.join();
        } else {
            builder.members(members);
        }
        if (completions != null) {
            builder.completionExecutor(completions);
        }
        RaftNode node = builder.stateMachine(machine)
                .transport(network.transport(id))
                .logStorage(logs.get(id)).snapshotStore(snapshots.get(id))
                .options(options).clock(clocks.get(id)).seed(ids.indexOf(id) * 31L + nodes.size())
                .build();
        nodes.put(id, node);
        machines.put(id, machine);
        node.start();
    }

    private static <V> V get(Map<String, V> map, String id) {
        V v = map.get(id);
        if (v == null) {
            throw new IllegalArgumentException("no node " + id + " in this cluster");
        }
        return v;
    }

    /** How to build a {@link TestCluster}. */
    public static final class Builder<S extends StateMachine> {
        private final Supplier<S> stateMachines;
        private int nodes = 3;
        private NodeOptions options = fastOptions(100_000);
        private boolean manualClocks;
        private Executor completions;

        private Builder(Supplier<S> stateMachines) {
            this.stateMachines = Objects.requireNonNull(stateMachines, "stateMachines");
        }

        /** How many voting members the group starts with (default 3). */
        public Builder<S> nodes(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("a cluster needs at least one node, not " + n);
            }
            this.nodes = n;
            return this;
        }

        /** The options every node runs with (default {@link #fastOptions fastOptions(100_000)}). */
        public Builder<S> options(NodeOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /** Every node gets its own {@link ManualClock}: time moves only when the test moves it. */
        public Builder<S> manualClocks() {
            this.manualClocks = true;
            return this;
        }

        /** Every node completes its futures on {@code executor} (see {@code RaftNode.Builder.completionExecutor}). */
        public Builder<S> completionExecutor(Executor executor) {
            this.completions = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** Builds the cluster and starts every node. */
        public TestCluster<S> build() {
            return new TestCluster<>(this);
        }
    }
}
