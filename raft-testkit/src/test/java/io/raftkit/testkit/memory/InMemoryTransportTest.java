package io.raftkit.testkit.memory;

import io.raftkit.core.Transport;
import io.raftkit.core.contract.TransportContractTest;

class InMemoryTransportTest extends TransportContractTest {

    private final InMemoryNetwork network = new InMemoryNetwork();

    @Override
    protected Transport create(String id) {
        return network.transport(id);
    }
}
