package io.raftkit.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.raftkit.core.contract.SampleMessages;
import io.raftkit.core.message.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Both pipelines end to end, bytes carried by hand between two embedded channels (no sockets). */
class RaftChannelInitializerTest {

    private static TransportSettings settings(String self) {
        return NettyTransport.builder().nodeId(self).clusterId("c1")
                .members(Map.of("n1", "127.0.0.1:1", "n2", "127.0.0.1:2"))
                .handshakeTimeout(Duration.ofSeconds(30)).build().settings();
    }

    @Test
    void whatTheDiallingPipelineWritesTheAcceptingPipelineDelivers() {
        TransportCounters counters = new TransportCounters();
        List<Message> received = new ArrayList<>();
        EmbeddedChannel dialling = new EmbeddedChannel(RaftChannelInitializer.dialling(settings("n1"), counters,
                settings("n1").members().get("n2"), () -> {}));
        EmbeddedChannel accepting = new EmbeddedChannel(RaftChannelInitializer.accepting(settings("n2"), counters,
                new InboundDispatcher("n2", received::add, counters), (id, address, remote) -> {}));

        dialling.write(WireProtocol.handshake("c1", "n1", ""));
        List<Message> sent = SampleMessages.all("n1", "n2");
        sent.forEach(dialling::write);
        dialling.flush();
        for (ByteBuf buf; (buf = dialling.readOutbound()) != null; ) {
            accepting.writeInbound(buf);
        }

        assertThat(received).containsExactlyElementsOf(sent);
        assertThat(accepting.isOpen()).isTrue();
        assertThat(counters.protocolErrors.sum()).isZero();
        dialling.finishAndReleaseAll();
        accepting.finishAndReleaseAll();
    }
}
