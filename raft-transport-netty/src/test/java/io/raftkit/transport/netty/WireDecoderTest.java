package io.raftkit.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.buffer.ByteBufUtil;
import io.raftkit.core.SnapshotMeta;
import io.raftkit.core.message.Heartbeat;
import io.raftkit.core.message.InstallSnapshot;
import io.raftkit.transport.netty.wire.Frame;
import org.junit.jupiter.api.Test;

class WireDecoderTest {

    private final EmbeddedChannel ch = new EmbeddedChannel(WireDecoder.INSTANCE);

    @Test
    void parsesAFrameAndHandsOnItsBuffer() {
        Frame frame = WireMapper.toFrame(new Heartbeat("n1", "n2", 3, 4, 5));
        ByteBuf buf = Unpooled.directBuffer().writeBytes(frame.toByteArray());
        ch.writeInbound(buf);
        ParsedFrame parsed = ch.readInbound();
        assertThat(parsed.frame()).isEqualTo(frame);
        assertThat(parsed.content()).isSameAs(buf);
        assertThat(buf.refCnt()).isEqualTo(1);
        parsed.release();
        assertThat(buf.refCnt()).isZero();
    }

    @Test
    void parsingAHeapBufferAliasesPayloadsInsteadOfCopyingThem() throws Exception {
        byte[] payload = {1, 2, 3, 4};
        ByteBuf buf = Unpooled.buffer().writeBytes(WireMapper.toFrame(
                new InstallSnapshot("n1", "n2", 1, "n1", SnapshotMeta.NONE, 0, payload, true)).toByteArray());
        Frame frame = WireDecoder.parse(buf);
        buf.setByte(ByteBufUtil.indexOf(Unpooled.wrappedBuffer(payload), buf), 9);
        assertThat(frame.getInstallSnapshot().getData().byteAt(0)).isEqualTo((byte) 9);
    }

    @Test
    void parsingADirectBufferLeavesNothingThatAliasesIt() throws Exception {
        byte[] payload = {1, 2, 3, 4};
        ByteBuf buf = Unpooled.directBuffer().writeBytes(WireMapper.toFrame(
                new InstallSnapshot("n1", "n2", 1, "n1", SnapshotMeta.NONE, 0, payload, true)).toByteArray());
        Frame frame = WireDecoder.parse(buf);
        buf.setZero(0, buf.capacity());
        buf.release();
        assertThat(frame.getInstallSnapshot().getData().toByteArray()).isEqualTo(payload);
    }

    @Test
    void rejectsBytesThatAreNotAFrameAndReleasesThem() {
        // Tag 0xFF 0xFF ... is a varint that never ends within the buffer: not protobuf.
        ByteBuf buf = Unpooled.buffer().writeBytes(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
        assertThatThrownBy(() -> ch.writeInbound(buf)).isInstanceOf(DecoderException.class)
                .hasMessageContaining("not a valid frame");
        assertThat(buf.refCnt()).isZero();
    }

    @Test
    void rejectsAFieldWithAnInvalidWireType() {
        ByteBuf buf = Unpooled.buffer().writeByte((1 << 3) | 7);
        assertThatThrownBy(() -> ch.writeInbound(buf)).isInstanceOf(DecoderException.class);
    }

    @Test
    void anEmptyFrameParsesToAFrameWithoutBody() {
        ch.writeInbound(Unpooled.buffer());
        ParsedFrame parsed = ch.readInbound();
        assertThat(parsed.frame().getBodyCase()).isEqualTo(Frame.BodyCase.BODY_NOT_SET);
        parsed.release();
    }
}
