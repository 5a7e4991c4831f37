package io.raftkit.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.raftkit.core.SnapshotMeta;
import io.raftkit.core.contract.SampleMessages;
import io.raftkit.core.message.AppendRequest;
import io.raftkit.core.message.InstallSnapshot;
import io.raftkit.core.message.Message;
import io.raftkit.transport.netty.wire.Entry;
import io.raftkit.transport.netty.wire.Frame;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class WireMapperTest {

    static List<Message> samples() {
        return SampleMessages.all("n1", "n2");
    }

    @ParameterizedTest
    @MethodSource("samples")
    void everyMessageSurvivesTheWireFromAHeapBuffer(Message m) throws Exception {
        byte[] bytes = WireMapper.toFrame(m).toByteArray();
        assertThat(WireMapper.toMessage(WireDecoder.parse(Unpooled.wrappedBuffer(bytes)))).isEqualTo(m);
    }

    @ParameterizedTest
    @MethodSource("samples")
    void everyMessageSurvivesTheWireFromADirectBuffer(Message m) throws Exception {
        byte[] bytes = WireMapper.toFrame(m).toByteArray();
        ByteBuf direct = Unpooled.directBuffer(bytes.length).writeBytes(bytes);
        try {
            assertThat(WireMapper.toMessage(WireDecoder.parse(direct))).isEqualTo(m);
        } finally {
            direct.release();
        }
    }

    @Test
    void inboundPayloadsAreCopiedOutOfTheReceiveBuffer() throws Exception {
        Message m = samples().get(5); // the AppendRequest with five entries
        byte[] bytes = WireMapper.toFrame(m).toByteArray();
        ByteBuf buf = Unpooled.buffer(bytes.length).writeBytes(bytes);
        Message decoded = WireMapper.toMessage(WireDecoder.parse(buf));
        buf.setZero(0, buf.capacity()); // the buffer is recycled once released
        assertThat(decoded).isEqualTo(m);
    }

    @Test
    void theCodecMapsBothWaysAndReleasesTheFrameBuffer() {
        EmbeddedChannel ch = new EmbeddedChannel(WireMapper.INSTANCE);
        for (Message m : samples()) {
            assertThat(ch.writeOutbound(m)).isTrue();
            if (m instanceof AppendRequest) {
                assertThat((Object) ch.readOutbound()).as("left to AppendFrameCodec").isSameAs(m);
                continue;
            }
            Frame frame = ch.readOutbound();
            ByteBuf buf = Unpooled.wrappedBuffer(frame.toByteArray());
            ParsedFrame parsed = new ParsedFrame(frame, buf);
            assertThat(ch.writeInbound(parsed)).isTrue();
            assertThat((Message) ch.readInbound()).isEqualTo(m);
            assertThat(buf.refCnt()).isZero();
        }
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void theHandshakeFramePassesOutboundUntouched() {
        EmbeddedChannel ch = new EmbeddedChannel(WireMapper.INSTANCE);
        Frame handshake = WireProtocol.handshake("c", "n1", "");
        ch.writeOutbound(handshake);
        assertThat((Frame) ch.readOutbound()).isSameAs(handshake);
    }

    @Test
    void aFrameWithoutABodyIsCorrupt() {
        assertThatThrownBy(() -> WireMapper.toMessage(Frame.newBuilder().setFrom("n1").setTo("n2").build()))
                .isInstanceOf(CorruptFrameException.class).hasMessageContaining("no message of a known type");
    }

    @Test
    void aSecondHandshakeIsCorrupt() {
        assertThatThrownBy(() -> WireMapper.toMessage(WireProtocol.handshake("c", "n1", "")))
                .isInstanceOf(CorruptFrameException.class).hasMessageContaining("second handshake");
    }

    @Test
    void anUnknownEntryTypeIsCorrupt() {
        Frame f = Frame.newBuilder().setFrom("n1").setTo("n2").setTerm(1)
                .setAppendRequest(io.raftkit.transport.netty.wire.AppendRequest.newBuilder()
                        .addEntries(Entry.newBuilder().setTerm(1).setIndex(1).setType(42)))
                .build();
        assertThatThrownBy(() -> WireMapper.toMessage(f))
                .isInstanceOf(CorruptFrameException.class).hasMessageContaining("unknown entry type code 42");
    }

    @Test
    void anEntryWithTermZeroIsCorrupt() {
        Frame f = Frame.newBuilder().setFrom("n1").setTo("n2").setTerm(1)
                .setAppendRequest(io.raftkit.transport.netty.wire.AppendRequest.newBuilder()
                        .addEntries(Entry.newBuilder().setTerm(0).setIndex(1).setType(1)))
                .build();
        assertThatThrownBy(() -> WireMapper.toMessage(f)).isInstanceOf(CorruptFrameException.class);
    }

    @Test
    void aTermBeyondLongMaxIsCorrupt() {
        Frame f = Frame.newBuilder().setFrom("n1").setTo("n2").setTerm(-1)
                .setTimeoutNow(io.raftkit.transport.netty.wire.TimeoutNow.getDefaultInstance()).build();
        assertThatThrownBy(() -> WireMapper.toMessage(f)).isInstanceOf(CorruptFrameException.class);
    }

    @Test
    void aSnapshotDelegationWithoutATargetOrWithAnUnknownOutcomeIsCorrupt() {
        Frame noTarget = Frame.newBuilder().setFrom("n1").setTo("n2").setTerm(1)
                .setDelegateSnapshot(io.raftkit.transport.netty.wire.DelegateSnapshot.newBuilder().setMinIndex(5))
                .build();
        assertThatThrownBy(() -> WireMapper.toMessage(noTarget))
                .isInstanceOf(CorruptFrameException.class).hasMessageContaining("delegate_snapshot.target is empty");
        Frame unknownOutcome = Frame.newBuilder().setFrom("n2").setTo("n1").setTerm(1)
                .setDelegateSnapshotResponse(io.raftkit.transport.netty.wire.DelegateSnapshotResponse.newBuilder()
                        .setTarget("n3").setOutcome(9))
                .build();
        assertThatThrownBy(() -> WireMapper.toMessage(unknownOutcome))
                .isInstanceOf(CorruptFrameException.class).hasMessageContaining("unknown snapshot delegation outcome 9");
    }

    @Test
    void aSnapshotChunkWithoutALeaderIsTheLeadersOwn() {
        InstallSnapshot own = new InstallSnapshot("n1", "n2", 3, "n1", SnapshotMeta.NONE, 0, new byte[] {1}, true);
        assertThat(WireMapper.toFrame(own).getInstallSnapshot().getLeader()).as("not sent when the sender leads").isEmpty();
        assertThat(WireMapper.toMessage(WireMapper.toFrame(own))).isEqualTo(own);
        InstallSnapshot donated = new InstallSnapshot("n3", "n2", 3, "n1", SnapshotMeta.NONE, 0, new byte[] {1}, true);
        assertThat(WireMapper.toMessage(WireMapper.toFrame(donated))).isEqualTo(donated);
    }
}
