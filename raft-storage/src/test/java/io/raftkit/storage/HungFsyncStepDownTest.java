package io.raftkit.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.core.RaftConfig;
import io.raftkit.core.StateMachine;
import io.raftkit.node.NodeOptions;
import io.raftkit.node.RaftNode;
import io.raftkit.node.ReadConsistency;
import io.raftkit.storage.fs.FaultyFileSystem;
import io.raftkit.testkit.memory.InMemoryNetwork;
import io.raftkit.testkit.memory.InMemorySnapshotStore;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real segmented logs on real files, the leader's on a file system whose fsyncs hang: the leader counts
 * its disk stalled and steps down within {@code NodeOptions.diskStallTimeout}, the other two elect a
 * leader, and every write acknowledged to a client, before or during the stall, is there; when the fsyncs
 * return the old leader follows and catches up.
 */
class HungFsyncStepDownTest {

    /** Keys to values; a write is {@code key=value}, a query a key. */
    private static final class Kv implements StateMachine {
        final Map<String, String> data = new ConcurrentHashMap<>();

        @Override
        public byte[] apply(long index, byte[] command) {
            String[] kv = new String(command, StandardCharsets.UTF_8).split("=", 2);
            data.put(kv[0], kv[1]);
            return new byte[0];
        }

        @Override
        public byte[] query(byte[] query) {
            return data.getOrDefault(new String(query, StandardCharsets.UTF_8), "").getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public void writeSnapshot(OutputStream out) {}

        @Override
        public void restoreSnapshot(InputStream in) {}
    }

    @TempDir
    Path dir;

    private final Map<String, RaftNode> nodes = new LinkedHashMap<>();
    private final CountDownLatch gate = new CountDownLatch(1);

    @AfterEach
    void close() {
        gate.countDown();
        nodes.values().forEach(RaftNode::close);
    }

    @Test
    void aLeaderWhoseFsyncHangsStepsDownAndNoAcknowledgedWriteIsLost() throws Exception {
        InMemoryNetwork network = new InMemoryNetwork();
        Map<String, String> members = Map.of("n1", "mem:1", "n2", "mem:2", "n3", "mem:3");
        Duration stallTimeout = Duration.ofMillis(300);
        NodeOptions options = NodeOptions.builder()
                .raft(RaftConfig.builder().electionTicks(10).heartbeatTicks(1).build())
                .tickInterval(Duration.ofMillis(10)).requestTimeout(Duration.ofSeconds(5))
                .diskStallTimeout(stallTimeout).closeTransferTimeout(Duration.ZERO).build();
        Map<String, FaultyFileSystem> disks = new LinkedHashMap<>();
        for (String id : List.of("n1", "n2", "n3")) {
            FaultyFileSystem fs = new FaultyFileSystem();
            disks.put(id, fs);
            RaftNode node = RaftNode.builder().id(id).members(members).stateMachine(new Kv())
                    .transport(network.transport(id))
                    .logStorage(SegmentedLog.open(dir.resolve(id), SegmentedLogOptions.defaults().withFileSystem(fs)))
                    .snapshotStore(new InMemorySnapshotStore()).options(options).build();
            nodes.put(id, node);
            node.start();
        }
        String old = nodes.get("n1").awaitLeader(Duration.ofSeconds(20)).get(20, TimeUnit.SECONDS);
        List<String> acknowledged = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            nodes.get(old).submit(("before" + i + "=" + i).getBytes(StandardCharsets.UTF_8)).get(20, TimeUnit.SECONDS);
            acknowledged.add("before" + i);
        }

        disks.get(old).holdForces(gate); // every fsync on the leader's disk (log and votes) now hangs
        long stalledAt = System.nanoTime();
        List<CompletableFuture<byte[]>> during = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            during.add(nodes.get(old).submit(("during" + i + "=" + i).getBytes(StandardCharsets.UTF_8)));
        }
        await("the leader counting its disk stalled", () -> nodes.get(old).status().diskStalled());
        List<String> others = nodes.keySet().stream().filter(id -> !id.equals(old)).toList();
        String[] fresh = new String[1];
        await("a new leader among " + others, () -> {
            for (String id : others) {
                if (nodes.get(id).isLeader()) {
                    fresh[0] = id;
                    return true;
                }
            }
            return false;
        });
        double seconds = (System.nanoTime() - stalledAt) / 1e9;
        System.out.printf("hung fsync on %s: %s leads %.2f s later (stall timeout %s)%n", old, fresh[0], seconds,
                stallTimeout);
        assertThat(nodes.get(old).isLeader()).isFalse();

        // The followers' acknowledgements alone can commit a write while the leader's disk hangs, so some
        // of these may have been acknowledged; whatever was, the new leader must hold.
        for (int i = 0; i < during.size(); i++) {
            CompletableFuture<byte[]> f = during.get(i);
            try {
                f.get(20, TimeUnit.SECONDS);
                acknowledged.add("during" + i);
            } catch (java.util.concurrent.ExecutionException failed) {
                // not acknowledged: it may or may not be there
            }
        }
        System.out.printf("%d of %d writes sent during the stall were acknowledged%n",
                acknowledged.size() - 20, during.size());
        RaftNode leader = nodes.get(fresh[0]);
        for (String key : acknowledged) {
            String value = new String(leader.query(key.getBytes(StandardCharsets.UTF_8), ReadConsistency.LINEARIZABLE)
                    .get(20, TimeUnit.SECONDS), StandardCharsets.UTF_8);
            assertThat(value).as("acknowledged write %s on the new leader", key).isNotEmpty();
        }
        assertThat(leader.submit("after=1".getBytes(StandardCharsets.UTF_8)).get(20, TimeUnit.SECONDS)).isNotNull();

        gate.countDown(); // the disk answers
        await(old + " counting its disk healthy and following " + fresh[0],
                () -> !nodes.get(old).status().diskStalled() && fresh[0].equals(nodes.get(old).leader()));
        await(old + " catching up", () -> nodes.get(old).status().appliedIndex() >= leader.status().commitIndex());
        assertThat(new String(nodes.get(old).query("after".getBytes(StandardCharsets.UTF_8), ReadConsistency.LINEARIZABLE)
                .get(20, TimeUnit.SECONDS), StandardCharsets.UTF_8)).isEqualTo("1");
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }
}
