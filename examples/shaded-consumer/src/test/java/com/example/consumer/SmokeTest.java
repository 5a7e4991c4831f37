package com.example.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkit.core.StateMachine;
import io.raftkit.node.RaftNode;
import io.raftkit.testkit.memory.InMemoryLogStorage;
import io.raftkit.testkit.memory.InMemorySnapshotStore;
import io.raftkit.transport.netty.NettyTransport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Three nodes over the relocated transport, in a JVM whose own Netty is 4.1 and protobuf 3. */
class SmokeTest {

    /** Appends each command to a string. */
    static final class Log implements StateMachine {
        private final StringBuilder text = new StringBuilder();

        @Override
        public byte[] apply(long index, byte[] command) {
            text.append(new String(command, StandardCharsets.UTF_8));
            return new byte[0];
        }

        @Override
        public byte[] query(byte[] query) {
            return text.toString().getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public void writeSnapshot(OutputStream out) throws IOException {
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void restoreSnapshot(InputStream in) throws IOException {
            text.setLength(0);
            text.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aGroupReplicatesNextToTheServicesOwnNettyAndProtobuf() throws Exception {
        // The service's own libraries are the old ones, loaded and working.
        assertTrue(io.netty.util.Version.identify().values().iterator().next().artifactVersion().startsWith("4.1."));
        assertEquals("hi", com.google.protobuf.ByteString.copyFromUtf8("hi").toStringUtf8());
        assertTrue(com.google.protobuf.ByteString.class.getPackage().getName().equals("com.google.protobuf"));

        Map<String, String> members = new LinkedHashMap<>();
        for (String id : List.of("n1", "n2", "n3")) {
            try (ServerSocket s = new ServerSocket(0)) {
                members.put(id, "127.0.0.1:" + s.getLocalPort());
            }
        }
        List<RaftNode> nodes = new ArrayList<>();
        try {
            for (String id : members.keySet()) {
                RaftNode node = RaftNode.builder().id(id).members(members).stateMachine(new Log())
                        .transport(NettyTransport.builder().nodeId(id).clusterId("smoke").members(members).build())
                        .logStorage(new InMemoryLogStorage()).snapshotStore(new InMemorySnapshotStore())
                        .build();
                node.start();
                nodes.add(node);
            }
            String leader = nodes.get(0).awaitLeader(Duration.ofSeconds(30)).get(60, TimeUnit.SECONDS);
            RaftNode any = nodes.get(1);
            any.submit("a".getBytes(StandardCharsets.UTF_8)).get(30, TimeUnit.SECONDS);
            any.submit("b".getBytes(StandardCharsets.UTF_8)).get(30, TimeUnit.SECONDS);
            for (RaftNode n : nodes) {
                assertEquals("ab", new String(n.query(new byte[0]).get(30, TimeUnit.SECONDS), StandardCharsets.UTF_8));
            }
            assertTrue(members.containsKey(leader));
            // The transport runs on the relocated Netty, not on the service's.
            assertTrue(NettyTransport.class.getClassLoader()
                    .loadClass("io.raftkit.shaded.io.netty.channel.Channel") != null);
        } finally {
            for (RaftNode n : nodes) {
                n.close();
            }
        }
    }
}
