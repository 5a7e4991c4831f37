package io.raftkit.examples.loadgen;

import io.raftkit.core.RaftRole;
import io.raftkit.core.StateMachine;
import io.raftkit.node.NodeOptions;
import io.raftkit.node.RaftNode;
import io.raftkit.storage.FileSnapshotStore;
import io.raftkit.storage.SegmentedLog;
import io.raftkit.storage.SegmentedLogOptions;
import io.raftkit.storage.SyncPolicy;
import io.raftkit.transport.netty.NettyTransport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** N real nodes in this JVM: Netty on loopback, segmented logs in {@code dir}. */
final class BenchCluster implements AutoCloseable {

    /** Counts applied commands; the result is empty, so the benchmark measures Raft, not the state. */
    private static final class CountingStateMachine implements StateMachine {
        private long applied;
        private static final byte[] EMPTY = new byte[0];

        @Override
        public byte[] apply(long index, byte[] command) {
            applied++;
            return EMPTY;
        }

        @Override
        public byte[] query(byte[] query) {
            return Long.toString(applied).getBytes();
        }

        @Override
        public void writeSnapshot(OutputStream out) throws IOException {
            out.write(Long.toString(applied).getBytes());
        }

        @Override
        public void restoreSnapshot(InputStream in) throws IOException {
            applied = Long.parseLong(new String(in.readAllBytes()));
        }
    }

    final List<RaftNode> nodes = new ArrayList<>();
    private final Map<String, String> members = new LinkedHashMap<>();
    private final Path dir;
    private final SegmentedLogOptions logOptions;
    private final NodeOptions options = NodeOptions.builder().maxPendingRequests(100_000).build();

    BenchCluster(int size, Path dir, boolean fsync) throws IOException {
        this.dir = dir;
        for (int i = 1; i <= size; i++) {
            members.put("n" + i, "127.0.0.1:" + freePort());
        }
        this.logOptions = SegmentedLogOptions.defaults().withSyncPolicy(fsync ? SyncPolicy.DURABLE : SyncPolicy.NONE);
        for (String id : members.keySet()) {
            nodes.add(node(id));
        }
        for (RaftNode n : nodes) {
            n.start();
        }
    }

    /** Node {@code id} on its directory under {@code dir}: new, or restarted from what it holds there. */
    private RaftNode node(String id) throws IOException {
        return RaftNode.builder()
                .id(id).members(members).stateMachine(new CountingStateMachine())
                .transport(NettyTransport.builder().nodeId(id).clusterId("bench").members(members).build())
                .logStorage(SegmentedLog.open(dir.resolve(id).resolve("log"), logOptions))
                .snapshotStore(FileSnapshotStore.open(dir.resolve(id).resolve("snapshots"), 2))
                .options(options)
                .build();
    }

    /** Closes node {@code i}, keeping its directory. */
    void stop(int i) {
        nodes.get(i).close();
    }

    /** Starts node {@code i} again from its directory (after {@link #stop}). */
    RaftNode restart(int i) throws IOException {
        String id = new ArrayList<>(members.keySet()).get(i);
        RaftNode n = node(id);
        nodes.set(i, n);
        n.start();
        return n;
    }

    /** Waits for a leader and returns it. */
    RaftNode awaitLeader() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            for (RaftNode n : nodes) {
                if (n.status().role() == RaftRole.LEADER) {
                    return n;
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        throw new IllegalStateException("no leader elected within 30 s");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * Closes every node, the leader of the moment first: a closing leader hands leadership over
     * ({@code NodeOptions.closeTransferTimeout}), which only a running node can take. In list order, the
     * leader picked a follower closed just before it and waited out the whole timeout.
     */
    @Override
    public void close() {
        List<RaftNode> open = new ArrayList<>(nodes);
        while (!open.isEmpty()) {
            RaftNode next = open.get(0);
            for (RaftNode n : open) {
                if (n.status().role() == RaftRole.LEADER) {
                    next = n;
                    break;
                }
            }
            next.close();
            open.remove(next);
        }
    }
}
