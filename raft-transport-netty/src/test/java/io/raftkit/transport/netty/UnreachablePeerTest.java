package io.raftkit.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.core.message.Heartbeat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The transport tells its receiver when a peer's connection is lost or cannot be opened
 * ({@code Receiver.unreachable}), so that a node stops preferring that peer; closing the transport itself
 * reports nothing.
 */
class UnreachablePeerTest {

    private final Map<String, String> members = LoopbackPorts.members(List.of("n1", "n2", "dead"));
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
    void aPeerThatClosesIsReportedUnreachable() throws Exception {
        n1 = TestNode.start("n1", members);
        n2 = TestNode.start("n2", members);
        assertThat(TestNode.sendUntilDelivered(n1, n2)).as("n1 reaches n2").isNotNull();
        assertThat(n1.unreachable).as("nothing lost yet").isEmpty();

        n2.close();

        assertThat(n1.unreachable.poll(TestNode.WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("n2");
    }

    @Test
    void aPeerThatCannotBeDialledIsReportedUnreachable() throws Exception {
        n1 = TestNode.start("n1", members);
        n1.transport.send(new Heartbeat("n1", "dead", 1, 1, 0));

        assertThat(n1.unreachable.poll(TestNode.WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("dead");
    }

    @Test
    void closingTheTransportReportsNoPeer() throws Exception {
        n1 = TestNode.start("n1", members);
        n2 = TestNode.start("n2", members);
        assertThat(TestNode.sendUntilDelivered(n1, n2)).as("n1 reaches n2").isNotNull();

        // close() returns once the I/O threads have stopped: a report made while closing is in the queue.
        n1.close();

        assertThat(n1.unreachable).isEmpty();
    }
}
