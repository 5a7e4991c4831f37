package io.raftkit.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.raftkit.core.message.Heartbeat;
import io.raftkit.core.message.InstallSnapshot;
import io.raftkit.core.SnapshotMeta;
import io.raftkit.transport.netty.wire.Frame;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WireEncoderTest {

    private final AtomicInteger oversized = new AtomicInteger();
    private final EmbeddedChannel ch = new EmbeddedChannel(new WireEncoder(2048, oversized::incrementAndGet));

    @Test
    void writesExactlyTheSerialisedFrame() {
        Frame frame = WireMapper.toFrame(new Heartbeat("n1", "n2", 3, 4, 5));
        ch.writeOutbound(frame);
        ByteBuf out = ch.readOutbound();
        assertThat(ByteBufUtil.getBytes(out)).isEqualTo(frame.toByteArray());
        assertThat(out.capacity()).isEqualTo(frame.getSerializedSize());
        out.release();
    }

    @Test
    void dropsAndCountsAFrameAboveTheMaximum() {
        Frame big = WireMapper.toFrame(new InstallSnapshot("n1", "n2", 1, "n1", SnapshotMeta.NONE, 0, new byte[4096], true));
        ch.writeOutbound(big);
        assertThat(ch.<Object>readOutbound()).isNull();
        assertThat(oversized).hasValue(1);
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void letsOtherMessagesPass() {
        ch.writeOutbound("not a frame");
        assertThat(ch.<Object>readOutbound()).isEqualTo("not a frame");
    }
}
