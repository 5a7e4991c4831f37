package io.raftkit.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.raftkit.core.Entry;
import io.raftkit.core.message.AppendRequest;
import io.raftkit.core.message.Heartbeat;
import io.raftkit.transport.netty.wire.Frame;
import io.raftkit.transport.netty.wire.Handshake;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HandshakeVerifierTest {

    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger admitted = new AtomicInteger();
    private final List<String> announced = new ArrayList<>();
    private final EmbeddedChannel ch = new EmbeddedChannel(new HandshakeVerifier("c1", "n1",
            Duration.ofSeconds(5), refused::incrementAndGet, (id, address, remote) -> {
                admitted.incrementAndGet();
                announced.add(id + "@" + address);
            }));

    private static ParsedFrame parsed(Frame frame) {
        return new ParsedFrame(frame, Unpooled.wrappedBuffer(frame.toByteArray()));
    }

    private static Frame handshake(int version, String cluster, String node) {
        return Frame.newBuilder().setHandshake(Handshake.newBuilder().setProtocolVersion(version)
                .setClusterId(cluster).setNodeId(node)).build();
    }

    @Test
    void admitsAMemberOfTheClusterAndStepsAside() {
        ParsedFrame hello = parsed(WireProtocol.handshake("c1", "n2", ""));
        ch.writeInbound(hello);
        assertThat(hello.refCnt()).isZero();
        assertThat(ch.<Object>readInbound()).as("the handshake is consumed").isNull();
        assertThat(ch.attr(HandshakeVerifier.PEER_ID).get()).isEqualTo("n2");
        assertThat(admitted).hasValue(1);
        assertThat(ch.pipeline().get(HandshakeVerifier.class)).isNull();
        ParsedFrame next = parsed(WireMapper.toFrame(new Heartbeat("n2", "n1", 1, 1, 1)));
        ch.writeInbound(next);
        assertThat(ch.<Object>readInbound()).isSameAs(next);
        next.release();
        assertThat(ch.isOpen()).isTrue();
        assertThat(refused).hasValue(0);
    }

    private void assertRefused(Frame first) {
        ParsedFrame msg = parsed(first);
        ch.writeInbound(msg);
        assertThat(msg.refCnt()).isZero();
        assertThat(ch.isOpen()).isFalse();
        assertThat(refused).hasValue(1);
        assertThat(admitted).hasValue(0);
        assertThat(ch.attr(HandshakeVerifier.PEER_ID).get()).isNull();
    }

    @Test
    void refusesAnotherCluster() {
        assertRefused(handshake(WireProtocol.VERSION, "other", "n2"));
    }

    @Test
    void admitsANodeItDoesNotKnowAndHearsTheAddressItGives() {
        // Membership is the log's to decide: a new member dials nodes whose logs have not reached it yet.
        ch.writeInbound(parsed(WireProtocol.handshake("c1", "n9", "10.0.0.9:7009")));
        assertThat(ch.isOpen()).isTrue();
        assertThat(ch.attr(HandshakeVerifier.PEER_ID).get()).isEqualTo("n9");
        assertThat(announced).containsExactly("n9@10.0.0.9:7009");
        assertThat(refused).hasValue(0);
    }

    @Test
    void refusesANodeWithoutAnId() {
        assertRefused(handshake(WireProtocol.VERSION, "c1", ""));
    }

    @Test
    void refusesANodeClaimingThisNodesId() {
        assertRefused(handshake(WireProtocol.VERSION, "c1", "n1"));
    }

    @Test
    void refusesAnotherProtocolVersion() {
        assertRefused(handshake(WireProtocol.VERSION + 1, "c1", "n2"));
    }

    @Test
    void refusesAMessageBeforeTheHandshake() {
        assertRefused(WireMapper.toFrame(new Heartbeat("n2", "n1", 1, 1, 1)));
    }

    @Test
    void refusesAnAppendRequestBeforeTheHandshake() {
        // WireDecoder hands the append frame on already read into the core record, not as a ParsedFrame.
        ch.writeInbound(new AppendRequest("n2", "n1", 1, 0, 0, List.of(Entry.command(1, 1, new byte[] {1})), 0));
        assertThat(ch.<Object>readInbound()).isNull();
        assertThat(ch.isOpen()).isFalse();
        assertThat(refused).hasValue(1);
        assertThat(admitted).hasValue(0);
    }

    @Test
    void refusesAConnectionThatSendsNoHandshakeInTime() {
        ch.advanceTimeBy(6, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isFalse();
        assertThat(refused).hasValue(1);
    }

    @Test
    void dropsWhatArrivesInTheSameReadAfterARefusal() {
        ParsedFrame after = parsed(WireProtocol.handshake("c1", "n2", ""));
        ch.writeInbound(parsed(handshake(WireProtocol.VERSION, "other", "n2")), after);
        assertThat(after.refCnt()).isZero();
        assertThat(ch.<Object>readInbound()).isNull();
        assertThat(refused).hasValue(1);
        assertThat(ch.attr(HandshakeVerifier.PEER_ID).get()).isNull();
    }
}
