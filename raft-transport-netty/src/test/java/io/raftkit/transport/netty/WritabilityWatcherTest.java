package io.raftkit.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WritabilityWatcherTest {

    @Test
    void tellsWhenTheConnectionTakesWritesAgain() {
        AtomicInteger calls = new AtomicInteger();
        EmbeddedChannel ch = new EmbeddedChannel(new WritabilityWatcher(calls::incrementAndGet));
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        ch.write(Unpooled.buffer().writeZero(64));
        assertThat(ch.isWritable()).isFalse();
        assertThat(calls).as("not while it is becoming unwritable").hasValue(0);
        ch.flush();
        assertThat(ch.isWritable()).isTrue();
        assertThat(calls).hasValue(1);
        ch.releaseOutbound();
    }
}
