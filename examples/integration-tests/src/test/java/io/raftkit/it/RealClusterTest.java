package io.raftkit.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.core.RaftConfig;
import io.raftkit.core.RaftRole;
import io.raftkit.node.NodeOptions;
import io.raftkit.node.RaftException;
import io.raftkit.node.RaftNode;
import io.raftkit.storage.FileSnapshotStore;
import io.raftkit.storage.SegmentedLog;
import io.raftkit.storage.SegmentedLogOptions;
import io.raftkit.transport.netty.NettyTransport;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Three RaftNodes in one JVM over real TCP (Netty) with real segmented logs on disk (fsync on): 10,000
 * writes, the leader closed mid-stream, a new leader elected, the old one restarted from its files; at
 * the end every state machine is identical and holds every acknowledged write. Run with each node's
 * event loop on its transport's I/O thread (the default) and on a thread of its own.
 */
class RealClusterTest {

    private static final Duration AWAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final Map<String, String> members = new LinkedHashMap<>();
    private final Map<String, RaftNode> nodes = new LinkedHashMap<>();
    private final Map<String, MapStateMachine> machines = new LinkedHashMap<>();

    private boolean hostedLoops;

    private RaftNode start(String id) throws IOException {
        MapStateMachine sm = new MapStateMachine();
        RaftNode node = RaftNode.builder()
                .id(id).members(members).stateMachine(sm)
                .transport(NettyTransport.builder().nodeId(id).clusterId("it").members(members)
                        .minReconnectDelay(Duration.ofMillis(20)).maxReconnectDelay(Duration.ofMillis(200))
                        .hostNodeLoop(hostedLoops).build())
                .logStorage(SegmentedLog.open(dir.resolve(id).resolve("log"),
                        SegmentedLogOptions.defaults().withSegmentBytes(1 << 20)))
                .snapshotStore(FileSnapshotStore.open(dir.resolve(id).resolve("snapshots"), 2))
                .options(NodeOptions.builder()
                        .raft(RaftConfig.builder().electionTicks(10).build())
                        .tickInterval(Duration.ofMillis(20))
                        .requestTimeout(Duration.ofSeconds(10))
                        .snapshotEveryEntries(3_000)
                        .build())
                .build();
        nodes.put(id, node);
        machines.put(id, sm);
        node.start();
        return node;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + AWAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    private String awaitLeader() {
        String[] leader = new String[1];
        await("a leader", () -> {
            for (RaftNode n : nodes.values()) {
                if (n.isRunning() && n.status().role() == RaftRole.LEADER) {
                    leader[0] = n.status().id();
                    return true;
                }
            }
            return false;
        });
        return leader[0];
    }

    @ParameterizedTest(name = "event loops on the transport's threads: {0}")
    @ValueSource(booleans = {true, false})
    void tenThousandWritesSurviveALeaderFailoverAndARestartFromDisk(boolean hosted) throws Exception {
        hostedLoops = hosted;
        for (String id : List.of("n1", "n2", "n3")) {
            members.put(id, "127.0.0.1:" + freePort());
        }
        try {
            for (String id : members.keySet()) {
                start(id);
            }
            String leader = awaitLeader();
            int total = 10_000;
            Semaphore window = new Semaphore(64);
            List<CompletableFuture<byte[]>> writes = new ArrayList<>();
            String closed = null;
            for (int i = 0; i < total; i++) {
                if (i == total / 2) {
                    closed = leader;
                    nodes.get(leader).close(); // mid-stream, with writes in flight
                }
                window.acquire();
                RaftNode target = nodes.get(members.keySet().stream().toList().get(i % 3));
                if (!target.isRunning()) {
                    target = nodes.values().stream().filter(RaftNode::isRunning).findFirst().orElseThrow();
                }
                CompletableFuture<byte[]> f = target.submit(MapStateMachine.put("k" + i, "v" + i));
                f.whenComplete((v, e) -> window.release());
                writes.add(f);
            }
            List<Integer> acknowledged = new ArrayList<>();
            int failed = 0;
            for (int i = 0; i < total; i++) {
                try {
                    writes.get(i).get(60, TimeUnit.SECONDS);
                    acknowledged.add(i);
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(RaftException.class);
                    failed++;
                }
            }
            String newLeader = awaitLeader();
            assertThat(newLeader).isNotEqualTo(closed);
            assertThat(acknowledged.size()).as("acknowledged (failed: %d)", failed).isGreaterThan(total * 8 / 10);

            start(closed); // the old leader, from its files
            nodes.get(newLeader).submit(MapStateMachine.put("barrier", "1")).get(30, TimeUnit.SECONDS);
            long commit = nodes.get(newLeader).status().commitIndex();
            await("every node applying " + commit, () -> nodes.values().stream()
                    .allMatch(n -> n.status().appliedIndex() >= commit));

            Map<String, String> reference = machines.get(newLeader).copy();
            for (int i : acknowledged) {
                assertThat(reference).as("acknowledged write %d", i).containsEntry("k" + i, "v" + i);
            }
            for (String id : members.keySet()) {
                assertThat(machines.get(id).copy()).as("state of %s", id).isEqualTo(reference);
            }
            assertThat(nodes.get(closed).status().lastSnapshotIndex() + nodes.get(newLeader).status().lastSnapshotIndex())
                    .as("snapshots were taken along the way").isPositive();
        } finally {
            for (RaftNode n : nodes.values()) {
                n.close();
            }
        }
    }
}
