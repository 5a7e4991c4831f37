package io.raftkit.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.core.Entry;
import io.raftkit.core.message.AppendRequest;
import io.raftkit.core.message.Heartbeat;
import io.raftkit.core.message.Message;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A peer that never comes up costs at most its queue bound and never holds up the others. */
class DeadPeerTest {

    private final Map<String, String> members = LoopbackPorts.members(List.of("n1", "n2", "dead"));
    private TestNode n1;
    private TestNode n2;

    @AfterEach
    void closeAll() {
        n1.close();
        n2.close();
    }

    @Test
    void theQueueToADeadPeerStopsAtItsMessageBoundAndTheRestIsDropped() throws Exception {
        n1 = TestNode.start("n1", members, b -> b.maxQueuedMessages(100));
        n2 = TestNode.start("n2", members);
        int n = 10_000;
        int live = 50; // stays within the live peer's own bound of 100
        for (int i = 1; i <= n; i++) {
            n1.transport.send(new Heartbeat("n1", "dead", 1, i, 0));
            if (i % (n / live) == 0) {
                n1.transport.send(new Heartbeat("n1", "n2", 1, i / (n / live), 0));
            }
        }
        for (int i = 1; i <= live; i++) {
            Message m = n2.poll();
            assertThat(m).as("heartbeat %d to the live peer", i).isNotNull();
            assertThat(((Heartbeat) m).commitIndex()).isEqualTo(i);
        }
        TransportStats.Peer dead = n1.stats().peers().get("dead");
        assertThat(dead.queuedMessages()).isEqualTo(100);
        assertThat(dead.dropped()).isEqualTo(n - 100);
        assertThat(dead.sent()).isZero();
        assertThat(dead.connected()).isFalse();
        assertThat(n1.stats().peers().get("n2").dropped()).isZero();
    }

    @Test
    void theQueueToADeadPeerStopsAtItsByteBound() {
        long bound = 1024 * 1024;
        n1 = TestNode.start("n1", members, b -> b.maxQueuedBytes(bound));
        n2 = TestNode.start("n2", members);
        byte[] payload = new byte[10_000];
        int n = 1_000; // 10 MB offered, 1 MiB allowed
        for (int i = 1; i <= n; i++) {
            n1.transport.send(new AppendRequest("n1", "dead", 1, i - 1, 1, List.of(Entry.command(1, i, payload)), 0));
        }
        TransportStats.Peer dead = n1.stats().peers().get("dead");
        assertThat(dead.queuedBytes()).isLessThanOrEqualTo(bound);
        assertThat(dead.queuedMessages()).isLessThan(n / 9);
        assertThat(dead.dropped()).isEqualTo(n - dead.queuedMessages());
    }
}
