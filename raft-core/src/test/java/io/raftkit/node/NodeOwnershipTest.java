package io.raftkit.node;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkit.testkit.memory.InMemoryLogStorage;
import io.raftkit.testkit.memory.InMemoryNetwork;
import io.raftkit.testkit.memory.InMemorySnapshotStore;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a builder checks about the parts it is given, and that a failed build releases them. */
class NodeOwnershipTest {

    @Test
    void aTransportThatSpeaksForAnotherNodeIsRefusedAndThePartsAreClosed() {
        InMemoryNetwork network = new InMemoryNetwork();
        InMemoryLogStorage log = new InMemoryLogStorage();
        assertThatThrownBy(() -> RaftNode.builder().id("n1").members(Map.of("n1", "mem:n1", "n2", "mem:n2"))
                .stateMachine(new TestKv()).transport(network.transport("n2")).logStorage(log)
                .snapshotStore(new InMemorySnapshotStore()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the transport speaks for node 'n2' but this node's id is 'n1'");
        assertClosed(log);
    }

    @Test
    void aMissingSettingClosesThePartsGivenToo() {
        InMemoryLogStorage log = new InMemoryLogStorage();
        assertThatThrownBy(() -> RaftNode.builder().id("n1").members(Map.of("n1", "mem:n1"))
                .transport(new InMemoryNetwork().transport("n1")).logStorage(log)
                .snapshotStore(new InMemorySnapshotStore()).build())
                .hasMessageContaining("stateMachine is required");
        assertClosed(log);
    }

    /** A failed build closes the log it was given (a segmented log's directory lock goes with it). */
    private static void assertClosed(InMemoryLogStorage log) {
        assertThatThrownBy(() -> log.saveHardState(log.hardState())).hasMessageContaining("closed");
    }
}
