package io.raftkit.testkit.memory;

import io.raftkit.core.LogStorage;
import io.raftkit.core.contract.LogStorageContractTest;

class InMemoryLogStorageTest extends LogStorageContractTest {

    @Override
    protected LogStorage create() {
        return new InMemoryLogStorage();
    }

    @Override
    protected LogStorage reopen(LogStorage closed) {
        return ((InMemoryLogStorage) closed).reopen();
    }
}
