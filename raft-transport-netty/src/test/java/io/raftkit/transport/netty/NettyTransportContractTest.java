package io.raftkit.transport.netty;

import io.raftkit.core.Transport;
import io.raftkit.core.contract.TransportContractTest;
import java.util.Map;

/** The shared {@link Transport} contract, over real loopback sockets. */
class NettyTransportContractTest extends TransportContractTest {

    // A new instance per test, so each test gets its own ports; a restarted node reuses its port.
    private final Map<String, String> members = LoopbackPorts.members(IDS);

    @Override
    protected Transport create(String id) {
        return NettyTransport.builder().nodeId(id).clusterId("contract").members(members).build();
    }
}
