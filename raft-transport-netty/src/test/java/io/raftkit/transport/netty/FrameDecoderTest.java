package io.raftkit.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {

    private final AtomicInteger truncated = new AtomicInteger();
    private final FrameDecoder decoder = new FrameDecoder(64 * 1024, truncated::incrementAndGet);
    private final EmbeddedChannel ch = new EmbeddedChannel(decoder);

    FrameDecoderTest() {
        decoder.admit();
    }

    private static ByteBuf frame(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return Unpooled.buffer().writeInt(bytes.length).writeBytes(bytes);
    }

    private String readFrame() {
        ByteBuf out = ch.readInbound();
        assertThat(out).isNotNull();
        try {
            return out.toString(StandardCharsets.UTF_8);
        } finally {
            out.release();
        }
    }

    @Test
    void cutsFramesAndStripsTheLength() {
        ch.writeInbound(Unpooled.wrappedBuffer(frame("one"), frame(""), frame("three")));
        assertThat(readFrame()).isEqualTo("one");
        assertThat(readFrame()).isEmpty();
        assertThat(readFrame()).isEqualTo("three");
        assertThat(ch.<Object>readInbound()).isNull();
    }

    @Test
    void reassemblesAFrameSplitAcrossReads() {
        ByteBuf whole = frame("split across reads");
        ch.writeInbound(whole.readRetainedSlice(2));
        ch.writeInbound(whole.readRetainedSlice(7));
        assertThat(ch.<Object>readInbound()).isNull();
        ch.writeInbound(whole);
        assertThat(readFrame()).isEqualTo("split across reads");
    }

    @Test
    void acceptsAFrameOfExactlyTheMaximum() {
        ch.writeInbound(Unpooled.buffer().writeInt(64 * 1024).writeZero(64 * 1024));
        ByteBuf out = ch.readInbound();
        assertThat(out.readableBytes()).isEqualTo(64 * 1024);
        out.release();
    }

    @Test
    void failsFastOnALengthBeyondTheMaximumBeforeTheBodyArrives() {
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.buffer().writeInt(64 * 1024 + 1)))
                .isInstanceOf(TooLongFrameException.class);
    }

    @Test
    void treatsTheLengthAsUnsigned() {
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.buffer().writeInt(-1)))
                .isInstanceOf(TooLongFrameException.class);
    }

    @Test
    void reportsAConnectionThatEndsInsideAFrame() {
        ch.writeInbound(Unpooled.buffer().writeInt(100).writeZero(10));
        assertThat(truncated).hasValue(0);
        ch.close();
        assertThat(truncated).hasValue(1);
        assertThat(ch.<Object>readInbound()).isNull();
    }

    @Test
    void aConnectionThatEndsBetweenFramesIsNotTruncated() {
        ch.writeInbound(frame("whole"));
        readFrame();
        ch.close();
        assertThat(truncated).hasValue(0);
    }

    @Test
    void beforeAdmissionOnlyAHandshakeSizedFrameIsAccepted() {
        EmbeddedChannel stranger = new EmbeddedChannel(new FrameDecoder(64 * 1024, () -> {}));
        stranger.writeInbound(Unpooled.buffer().writeInt(FrameDecoder.MAX_HANDSHAKE_BYTES)
                .writeZero(FrameDecoder.MAX_HANDSHAKE_BYTES));
        ByteBuf out = stranger.readInbound();
        assertThat(out.readableBytes()).isEqualTo(FrameDecoder.MAX_HANDSHAKE_BYTES);
        out.release();
        ByteBuf tooLong = Unpooled.buffer().writeInt(FrameDecoder.MAX_HANDSHAKE_BYTES + 1);
        assertThatThrownBy(() -> stranger.writeInbound(tooLong))
                .isInstanceOf(TooLongFrameException.class).hasMessageContaining("a handshake has at most");
    }
}
