package io.raftkit.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.core.message.Heartbeat;
import io.raftkit.core.message.Message;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PeerRestartTest {

    private final Map<String, String> members = LoopbackPorts.members(List.of("n1", "n2"));
    private TestNode n1;
    private TestNode n2;

    @AfterEach
    void closeAll() {
        n1.close();
        n2.close();
    }

    @Test
    void trafficResumesBothWaysAfterAPeerRestarts() throws Exception {
        n1 = TestNode.start("n1", members);
        n2 = TestNode.start("n2", members);
        assertThat(TestNode.sendUntilDelivered(n1, n2)).isNotNull();
        assertThat(TestNode.sendUntilDelivered(n2, n1)).isNotNull();
        long attemptsBefore = n1.stats().peers().get("n2").connectAttempts();

        n2.close();
        // While n2 is down, n1 keeps sending into its bounded queue.
        for (int i = 0; i < 100; i++) {
            n1.transport.send(new Heartbeat("n1", "n2", 2, i, 0));
        }
        n2 = TestNode.start("n2", members);

        assertThat(TestNode.sendUntilDelivered(n1, n2)).as("n1 reaches the restarted n2").isNotNull();
        assertThat(TestNode.sendUntilDelivered(n2, n1)).as("the restarted n2 reaches n1").isNotNull();
        assertThat(n1.stats().peers().get("n2").connectAttempts()).isGreaterThan(attemptsBefore);
    }

    @Test
    void aPeerThatStartsLateIsReachedWithoutHelp() throws Exception {
        n1 = TestNode.start("n1", members);
        n1.transport.send(new Heartbeat("n1", "n2", 1, 1, 0));
        Await.until("n1 has failed to reach n2 at least twice",
                () -> n1.stats().peers().get("n2").connectAttempts() >= 2);
        n2 = TestNode.start("n2", members);
        // The message queued before n2 existed is delivered once the redial succeeds.
        Message first = n2.poll();
        assertThat(first).isEqualTo(new Heartbeat("n1", "n2", 1, 1, 0));
    }
}
