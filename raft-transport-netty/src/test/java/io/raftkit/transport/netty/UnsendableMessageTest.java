package io.raftkit.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkit.core.SnapshotMeta;
import io.raftkit.core.message.Heartbeat;
import io.raftkit.core.message.InstallSnapshot;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Messages that cannot go on the wire are dropped alone; the connection carries on. */
class UnsendableMessageTest {

    private final Map<String, String> members = LoopbackPorts.members(List.of("n1", "n2"));
    private TestNode n1;
    private TestNode n2;

    @AfterEach
    void closeAll() {
        if (n1 != null) {
            n1.close();
        }
        if (n2 != null) {
            n2.close();
        }
    }

    @Test
    void aMessageAboveTheFrameLimitIsDroppedAtTheSenderAndTheConnectionCarriesOn() throws Exception {
        n1 = TestNode.start("n1", members, b -> b.maxFrameBytes(64 * 1024));
        n2 = TestNode.start("n2", members, b -> b.maxFrameBytes(64 * 1024));
        n1.transport.send(new InstallSnapshot("n1", "n2", 1, "n1", SnapshotMeta.NONE, 0, new byte[100_000], false));
        n1.transport.send(new Heartbeat("n1", "n2", 1, 1, 0));
        assertThat(n2.poll()).isEqualTo(new Heartbeat("n1", "n2", 1, 1, 0));
        assertThat(n1.stats().oversizedDropped()).isEqualTo(1);
        assertThat(n2.stats().protocolErrors()).isZero();
        assertThat(n1.stats().peers().get("n2").connectAttempts()).isEqualTo(1);
    }

    @Test
    void aMessageTheWireCannotCarryCannotEvenBeBuilt() {
        // The core's records refuse what the wire form cannot carry, so send() never sees it.
        assertThatThrownBy(() -> new InstallSnapshot("n1", "n2", 1, "n1", SnapshotMeta.NONE, 0, null, false))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("data");
        assertThatThrownBy(() -> new Heartbeat("n1", null, 1, 1, 0)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Heartbeat("n1", "n2", -1, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
