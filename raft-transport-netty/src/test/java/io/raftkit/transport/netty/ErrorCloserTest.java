package io.raftkit.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.EncoderException;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ErrorCloserTest {

    private final AtomicInteger errors = new AtomicInteger();
    private final AtomicInteger unencodable = new AtomicInteger();
    private final EmbeddedChannel ch = new EmbeddedChannel(
            new ErrorCloser(errors::incrementAndGet, unencodable::incrementAndGet));

    @Test
    void closesAndCountsBadInput() {
        ch.pipeline().fireExceptionCaught(new DecoderException("bad frame"));
        assertThat(ch.isOpen()).isFalse();
        assertThat(errors).hasValue(1);
        ch.checkException();
    }

    @Test
    void closesWithoutCountingAnIoFailure() {
        ch.pipeline().fireExceptionCaught(new IOException("Connection reset by peer"));
        assertThat(ch.isOpen()).isFalse();
        assertThat(errors).hasValue(0);
    }

    @Test
    void keepsTheConnectionWhenOnlyOneOutboundMessageCouldNotBeEncoded() {
        ch.pipeline().fireExceptionCaught(new EncoderException("null payload"));
        assertThat(ch.isOpen()).isTrue();
        assertThat(unencodable).hasValue(1);
        assertThat(errors).hasValue(0);
    }
}
