package io.raftkit.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.raftkit.core.contract.SampleMessages;
import io.raftkit.core.message.Heartbeat;
import io.raftkit.core.message.Message;
import io.raftkit.transport.netty.wire.Frame;
import io.raftkit.transport.netty.wire.Handshake;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile bytes over real sockets: each offending connection is closed (and counted, next to a logged
 * reason), the node keeps running with bounded memory, and traffic between good peers still flows.
 */
class BadInputTest {

    private static final int MAX_FRAME = 64 * 1024;
    private static final long SEED = 20_261_125L;

    private final Map<String, String> members = LoopbackPorts.members(List.of("n1", "n2"));
    private final AtomicLong probe = new AtomicLong();
    private TestNode n1;
    private TestNode n2;

    @BeforeEach
    void startNodes() {
        n1 = TestNode.start("n1", members, b -> b.maxFrameBytes(MAX_FRAME).handshakeTimeout(Duration.ofSeconds(2)));
        n2 = TestNode.start("n2", members, b -> b.maxFrameBytes(MAX_FRAME));
    }

    @AfterEach
    void closeNodes() {
        n1.close();
        n2.close();
    }

    private RawConnection connect() throws IOException {
        return new RawConnection(members.get("n1"));
    }

    /** A fresh heartbeat from n2 reaches n1 and one from n1 reaches n2 (skipping fuzz that got through). */
    private void assertGoodPeersStillTalk() throws InterruptedException {
        long id = probe.incrementAndGet() + 1_000_000_000L;
        n2.transport.send(new Heartbeat("n2", "n1", 7, id, 0));
        n1.transport.send(new Heartbeat("n1", "n2", 7, id, 0));
        assertThat(receive(n1, id)).as("n2 -> n1").isTrue();
        assertThat(receive(n2, id)).as("n1 -> n2").isTrue();
    }

    private static boolean receive(TestNode node, long commitIndex) throws InterruptedException {
        for (Message m; (m = node.poll()) != null; ) {
            if (m instanceof Heartbeat h && h.term() == 7 && h.commitIndex() == commitIndex) {
                return true;
            }
        }
        return false;
    }

    @Test
    void randomBytesCloseTheConnection() throws Exception {
        byte[] noise = new byte[512];
        new Random(SEED).nextBytes(noise);
        try (RawConnection c = connect()) {
            c.bytes(noise);
            assertThat(c.closedByPeer()).isTrue();
        }
        TransportStats s = n1.stats();
        assertThat(s.protocolErrors() + s.refusedConnections()).isEqualTo(1);
        assertGoodPeersStillTalk();
    }

    @Test
    void aLengthBeyondTheMaximumClosesTheConnection() throws Exception {
        try (RawConnection c = connect()) {
            c.handshake(TestNode.CLUSTER, "n2").bytes(new byte[] {0, 1, 0, 1}); // 65537 > 65536
            assertThat(c.closedByPeer()).isTrue();
        }
        assertThat(n1.stats().protocolErrors()).isEqualTo(1);
        assertGoodPeersStillTalk();
    }

    @Test
    void aLargeFrameBeforeTheHandshakeClosesTheConnectionAtOnce() throws Exception {
        try (RawConnection c = connect()) {
            c.bytes(new byte[] {0, 0, 0x40, 0}); // 16 KiB: under the frame limit, over a handshake's
            assertThat(c.closedByPeer()).isTrue();
        }
        assertThat(n1.stats().protocolErrors()).isEqualTo(1);
        assertThat(n1.stats().refusedConnections()).as("not left to the handshake timeout").isZero();
        assertGoodPeersStillTalk();
    }

    @Test
    void aTruncatedFrameFollowedByCloseIsReported() throws Exception {
        try (RawConnection c = connect()) {
            c.handshake(TestNode.CLUSTER, "n2").bytes(new byte[] {0, 0, 0, 100, 1, 2, 3});
        }
        Await.until("the truncated frame is reported", () -> n1.stats().protocolErrors() == 1);
        Await.until("the connection is gone", () -> n1.stats().openInboundConnections() == 0);
        assertGoodPeersStillTalk();
    }

    @Test
    void aValidFrameOfAnUnknownTypeClosesTheConnection() throws Exception {
        // Field 99, varint 1: valid protobuf, but no message type this node knows.
        byte[] unknown = {(byte) 0x98, 0x06, 0x01};
        assertThat(Frame.parseFrom(unknown).getBodyCase()).isEqualTo(Frame.BodyCase.BODY_NOT_SET);
        try (RawConnection c = connect()) {
            c.handshake(TestNode.CLUSTER, "n2").frame(unknown);
            assertThat(c.closedByPeer()).isTrue();
        }
        assertThat(n1.stats().protocolErrors()).isEqualTo(1);
        assertGoodPeersStillTalk();
    }

    @Test
    void aFrameThatIsNotProtobufClosesTheConnection() throws Exception {
        try (RawConnection c = connect()) {
            c.handshake(TestNode.CLUSTER, "n2").frame(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F});
            assertThat(c.closedByPeer()).isTrue();
        }
        assertThat(n1.stats().protocolErrors()).isEqualTo(1);
        assertGoodPeersStillTalk();
    }

    @Test
    void aHandshakeWithAnotherClusterIdIsRefused() throws Exception {
        try (RawConnection c = connect()) {
            c.frames(WireProtocol.handshake("another-cluster", "n2", ""),
                    WireMapper.toFrame(new Heartbeat("n2", "n1", 1, 1, 0)));
            assertThat(c.closedByPeer()).isTrue();
        }
        assertThat(n1.stats().refusedConnections()).isEqualTo(1);
        assertThat(n1.stats().messagesReceived()).isZero();
        assertGoodPeersStillTalk();
    }

    @Test
    void aHandshakeWithoutANodeIdOrOfAnotherVersionIsRefused() throws Exception {
        try (RawConnection c = connect()) {
            c.handshake(TestNode.CLUSTER, "");
            assertThat(c.closedByPeer()).isTrue();
        }
        try (RawConnection c = connect()) {
            c.frame(Frame.newBuilder().setHandshake(Handshake.newBuilder().setProtocolVersion(99)
                    .setClusterId(TestNode.CLUSTER).setNodeId("n2")).build());
            assertThat(c.closedByPeer()).isTrue();
        }
        assertThat(n1.stats().refusedConnections()).isEqualTo(2);
        assertGoodPeersStillTalk();
    }

    @Test
    void aConnectionWithoutHandshakeIsClosedAfterTheTimeout() throws Exception {
        try (RawConnection c = connect()) {
            assertThat(c.closedByPeer()).isTrue();
        }
        assertThat(n1.stats().refusedConnections()).isEqualTo(1);
    }

    @Test
    void aMessageWhoseSenderIsNotTheHandshakesNodeIsDropped() throws Exception {
        try (RawConnection c = connect()) {
            c.handshake(TestNode.CLUSTER, "n2")
                    .frame(WireMapper.toFrame(new Heartbeat("n3", "n1", 1, 1, 0)))
                    .frame(WireMapper.toFrame(new Heartbeat("n2", "n1", 1, 2, 0)));
            assertThat(n1.poll()).isEqualTo(new Heartbeat("n2", "n1", 1, 2, 0));
        }
        assertThat(n1.stats().inboundDropped()).isEqualTo(1);
        assertThat(n1.stats().protocolErrors()).isZero();
    }

    @Test
    void aFuzzedStreamOfFramesNeverHurtsTheNode() throws Exception {
        Random random = new Random(SEED);
        List<byte[]> valid = SampleMessages.all("n2", "n1").stream()
                .map(m -> WireMapper.toFrame(m).toByteArray())
                .filter(b -> b.length <= MAX_FRAME)
                .toList();
        int frames = 2_000;
        for (int i = 0; i < frames; i++) {
            byte[] wire = mutate(valid.get(random.nextInt(valid.size())), random);
            try (RawConnection c = connect()) {
                c.handshake(TestNode.CLUSTER, "n2").bytes(wire);
            } catch (IOException e) {
                // The node may close and reset the connection before all of it is written: fine.
            }
        }
        Await.until("every fuzz connection is closed", () -> n1.stats().openInboundConnections() == 0);
        assertThat(n1.stats().protocolErrors()).as("seed=%d", SEED).isPositive();
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider metrics) {
            assertThat(metrics.metric().usedDirectMemory()).as("seed=%d", SEED).isLessThan(64L * 1024 * 1024);
        }
        assertGoodPeersStillTalk();
    }

    /** A frame (length prefix included) damaged in one of several ways. */
    private static byte[] mutate(byte[] body, Random random) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        switch (random.nextInt(5)) {
            case 0 -> { // flip a few bytes
                byte[] b = body.clone();
                for (int k = 0; k < 1 + random.nextInt(4) && b.length > 0; k++) {
                    b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                }
                out.writeInt(b.length);
                out.write(b);
            }
            case 1 -> { // announce the whole frame, send part of it, close
                out.writeInt(body.length);
                out.write(body, 0, random.nextInt(Math.max(1, body.length)));
            }
            case 2 -> { // a random length
                out.writeInt(random.nextInt());
                out.write(body);
            }
            case 3 -> { // random bytes of a plausible length
                byte[] b = new byte[random.nextInt(256)];
                random.nextBytes(b);
                out.writeInt(b.length);
                out.write(b);
            }
            default -> { // truncated body under an honest length
                byte[] b = Arrays.copyOf(body, random.nextInt(Math.max(1, body.length)));
                out.writeInt(b.length);
                out.write(b);
            }
        }
        return bytes.toByteArray();
    }
}
