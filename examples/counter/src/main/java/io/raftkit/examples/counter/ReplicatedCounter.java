package io.raftkit.examples.counter;

import io.raftkit.core.StateMachine;
import io.raftkit.node.RaftNode;
import io.raftkit.node.ReadConsistency;
import io.raftkit.storage.FileSnapshotStore;
import io.raftkit.storage.SegmentedLog;
import io.raftkit.storage.SegmentedLogOptions;
import io.raftkit.transport.netty.NettyTransport;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The smallest real program that embeds RaftKit: a counter replicated on three nodes (here in one
 * process, each with its own TCP port and its own log directory, exactly as three services would).
 */
public final class ReplicatedCounter {

    /** The whole application: a long that commands add to. Deterministic, single-threaded. */
    static final class Counter implements StateMachine {
        private long value;

        @Override
        public byte[] apply(long index, byte[] command) {
            value += ByteBuffer.wrap(command).getLong();
            return ByteBuffer.allocate(8).putLong(value).array();
        }

        @Override
        public byte[] query(byte[] query) {
            return ByteBuffer.allocate(8).putLong(value).array();
        }

        @Override
        public void writeSnapshot(OutputStream out) throws IOException {
            new DataOutputStream(out).writeLong(value);
        }

        @Override
        public void restoreSnapshot(InputStream in) throws IOException {
            value = new DataInputStream(in).readLong();
        }
    }

    private ReplicatedCounter() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> members = Map.of("n1", "127.0.0.1:7101", "n2", "127.0.0.1:7102", "n3", "127.0.0.1:7103");
        Path dataDir = Files.createTempDirectory("raftkit-counter");
        List<RaftNode> nodes = new ArrayList<>();
        for (String id : List.of("n1", "n2", "n3")) {
            RaftNode node = RaftNode.builder()
                    .id(id)
                    .members(members)
                    .stateMachine(new Counter())
                    .transport(NettyTransport.builder().nodeId(id).clusterId("counter").members(members).build())
                    .logStorage(SegmentedLog.open(dataDir.resolve(id + "/log"), SegmentedLogOptions.defaults()))
                    .snapshotStore(FileSnapshotStore.open(dataDir.resolve(id + "/snapshots")))
                    .build();
            node.start();
            nodes.add(node);
        }
        try {
            // Any node accepts writes: followers forward to the leader and relay its answer.
            for (int i = 0; i < 10; i++) {
                byte[] result = nodes.get(i % 3).submit(ByteBuffer.allocate(8).putLong(1).array()).get();
                System.out.println("after add #" + (i + 1) + ": " + ByteBuffer.wrap(result).getLong());
            }
            byte[] read = nodes.get(2).query(new byte[0], ReadConsistency.LINEARIZABLE).get();
            System.out.println("linearizable read on n3: " + ByteBuffer.wrap(read).getLong());
        } finally {
            for (RaftNode node : nodes) {
                node.close();
            }
        }
    }
}
