package io.raftkit.node;

import io.raftkit.core.RaftConfig;
import io.raftkit.core.RaftRole;
import io.raftkit.core.memory.InMemoryLogStorage;
import io.raftkit.core.memory.InMemoryNetwork;
import io.raftkit.core.memory.InMemorySnapshotStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** A group of real {@link RaftNode}s (threads and all) over in-memory transport and storage. */
final class NodeCluster implements AutoCloseable {

    static final Duration AWAIT = Duration.ofSeconds(20);

    final InMemoryNetwork network = new InMemoryNetwork();
    final List<String> ids = new ArrayList<>();
    final Map<String, String> members = new LinkedHashMap<>();
    final Map<String, RaftNode> nodes = new LinkedHashMap<>();
    final Map<String, TestKv> machines = new LinkedHashMap<>();
    final Map<String, InMemoryLogStorage> storages = new LinkedHashMap<>();
    final Map<String, InMemorySnapshotStore> snapshots = new LinkedHashMap<>();
    final NodeOptions options;
    private final java.util.concurrent.Executor completions;
    /** Each node's clock: the system's, unless the cluster was built with manual clocks. */
    final Map<String, Clock> clocks = new LinkedHashMap<>();

    NodeCluster(int n) {
        this(n, options(100_000));
    }

    NodeCluster(int n, NodeOptions options) {
        this(n, options, false);
    }

    /** With {@code manualClocks}, every node gets its own {@link ManualClock}: time moves only by {@link #advance}. */
    NodeCluster(int n, NodeOptions options, boolean manualClocks) {
        this(n, options, manualClocks, null);
    }

    /** With {@code completions}, every node completes its futures on that executor. */
    NodeCluster(int n, NodeOptions options, boolean manualClocks, java.util.concurrent.Executor completions) {
        this.options = options;
        this.completions = completions;
        for (int i = 1; i <= n; i++) {
            ids.add("n" + i);
            members.put("n" + i, "mem:" + i);
        }
        for (String id : ids) {
            clocks.put(id, manualClocks ? new ManualClock() : Clock.system());
            storages.put(id, new InMemoryLogStorage());
            snapshots.put(id, new InMemorySnapshotStore());
            start(id);
        }
    }

    /** Fast ticks so elections take tens of milliseconds. */
    static NodeOptions options(long snapshotEvery) {
        return NodeOptions.builder()
                .raft(RaftConfig.builder().electionTicks(10).heartbeatTicks(1).build())
                .tickInterval(Duration.ofMillis(10))
                .requestTimeout(Duration.ofSeconds(5))
                .snapshotEveryEntries(snapshotEvery)
                .snapshotChunkBytes(1024)
                .build();
    }

    /** Starts a new node {@code id} with empty storage that joins the group (waits to be added). */
    void startJoining(String id) {
        ids.add(id);
        members.put(id, "mem:" + id);
        clocks.put(id, Clock.system());
        storages.put(id, new InMemoryLogStorage());
        snapshots.put(id, new InMemorySnapshotStore());
        start(id, true);
    }

    void start(String id) {
        start(id, false);
    }

    private void start(String id, boolean joining) {
        TestKv kv = new TestKv();
        RaftNode.Builder builder = RaftNode.builder().id(id);
        if (joining) {
            builder.join();
        } else {
            builder.members(members);
        }
        if (completions != null) {
            builder.completionExecutor(completions);
        }
        RaftNode node = builder.stateMachine(kv)
                .transport(network.transport(id))
                .logStorage(storages.get(id)).snapshotStore(snapshots.get(id))
                .options(options).clock(clocks.get(id)).seed(ids.indexOf(id) * 31L + nodes.size())
                .build();
        nodes.put(id, node);
        machines.put(id, kv);
        node.start();
    }

    /**
     * Moves the manual clocks of {@code ids} on by one tick interval, as often as it takes for
     * {@code condition} to hold, waiting for the nodes to act on each tick (their loops wake within a
     * tick interval of real time); fails after {@link #AWAIT}.
     */
    void advanceUntil(java.util.Collection<String> ids, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + AWAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + " while advancing the clocks of " + ids);
            }
            for (String id : ids) {
                ((ManualClock) clocks.get(id)).advance(options.tickInterval());
            }
            LockSupport.parkNanos(options.tickInterval().toNanos());
        }
    }

    RaftNode node(String id) {
        return nodes.get(id);
    }

    /** Closes a node (as a crash would, but cleanly) and keeps its durable state for a restart. */
    void stop(String id) {
        nodes.get(id).close();
    }

    void restart(String id) {
        storages.put(id, storages.get(id).reopen());
        start(id);
    }

    /** Waits until exactly one running node leads and every running node knows it; returns its id. */
    String awaitLeader() {
        String[] found = new String[1];
        await("a leader known to every running node", () -> {
            String leader = null;
            for (RaftNode n : nodes.values()) {
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
            for (RaftNode n : nodes.values()) {
                if (n.isRunning() && !leader.equals(n.status().leader())) {
                    return false;
                }
            }
            found[0] = leader;
            return true;
        });
        return found[0];
    }

    /** Polls {@code condition} until it holds; fails after {@link #AWAIT}. */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + AWAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    /** Waits until every running node has applied at least {@code index}. */
    void awaitApplied(long index) {
        await("every running node applying " + index, () -> nodes.values().stream()
                .filter(RaftNode::isRunning).allMatch(n -> n.status().appliedIndex() >= index));
    }

    @Override
    public void close() {
        for (RaftNode n : nodes.values()) {
            n.close();
        }
    }
}
