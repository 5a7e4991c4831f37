package io.raftkit.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.raftkit.core.message.Heartbeat;
import io.raftkit.core.message.Message;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InboundDispatcherTest {

    private final List<Message> received = new ArrayList<>();
    private final TransportCounters counters = new TransportCounters();
    private final EmbeddedChannel ch = new EmbeddedChannel(new InboundDispatcher("n1", received::add, counters));

    InboundDispatcherTest() {
        ch.attr(HandshakeVerifier.PEER_ID).set("n2");
    }

    @Test
    void handsAMessageFromTheProvenPeerToTheReceiver() {
        Heartbeat m = new Heartbeat("n2", "n1", 1, 2, 3);
        ch.writeInbound(m);
        assertThat(received).containsExactly(m);
        assertThat(counters.received.sum()).isEqualTo(1);
    }

    @Test
    void dropsAMessageThatClaimsAnotherSender() {
        ch.writeInbound(new Heartbeat("n3", "n1", 1, 2, 3));
        assertThat(received).isEmpty();
        assertThat(counters.inboundDropped.sum()).isEqualTo(1);
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void dropsAMessageForAnotherNode() {
        ch.writeInbound(new Heartbeat("n2", "n3", 1, 2, 3));
        assertThat(received).isEmpty();
        assertThat(counters.inboundDropped.sum()).isEqualTo(1);
    }

    @Test
    void survivesAReceiverThatThrows() {
        EmbeddedChannel throwing = new EmbeddedChannel(new InboundDispatcher("n1", m -> {
            throw new IllegalStateException("boom");
        }, counters));
        throwing.attr(HandshakeVerifier.PEER_ID).set("n2");
        throwing.writeInbound(new Heartbeat("n2", "n1", 1, 2, 3));
        throwing.checkException();
        assertThat(throwing.isOpen()).isTrue();
    }
}
