package io.raftkit.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.core.Transport;
import io.raftkit.core.contract.TransportContractTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shared {@link Transport} contract on the portable NIO event loops, where epoll is not used. */
class NioTransportContractTest extends TransportContractTest {

    private final Map<String, String> members = LoopbackPorts.members(IDS);

    @Override
    protected Transport create(String id) {
        return NettyTransport.builder().nodeId(id).clusterId("contract-nio").members(members)
                .epollAllowed(false).build();
    }

    @Test
    void runsOnNio() {
        NettyTransport t = (NettyTransport) create("n1");
        try {
            t.start(m -> {});
            assertThat(t.eventLoops().kind()).isEqualTo("nio");
        } finally {
            t.close();
        }
    }
}
