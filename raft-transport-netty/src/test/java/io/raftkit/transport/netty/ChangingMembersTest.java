package io.raftkit.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.core.message.Heartbeat;
import io.raftkit.core.message.HeartbeatResponse;
import io.raftkit.core.message.Message;
import io.raftkit.core.message.VoteRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Members added and removed at run time, and a joining node that knows no member. */
class ChangingMembersTest {

    private final Map<String, String> addresses = LoopbackPorts.members(List.of("n1", "n2", "n3"));
    private final Map<String, String> firstTwo = Map.of("n1", addresses.get("n1"), "n2", addresses.get("n2"));
    private TestNode n1;
    private TestNode n2;
    private TestNode n3;

    @AfterEach
    void closeAll() {
        for (TestNode n : new TestNode[] {n1, n2, n3}) {
            if (n != null) {
                n.close();
            }
        }
    }

    @Test
    void aJoiningNodeIsReachedOnceAddedAndAnswersANodeItDoesNotKnow() throws Exception {
        n1 = TestNode.start("n1", firstTwo);
        n2 = TestNode.start("n2", firstTwo);
        // n3 joins: it knows only its own address.
        n3 = TestNode.start("n3", Map.of("n3", addresses.get("n3")));

        n1.transport.send(new Heartbeat("n1", "n3", 1, 0, 0));
        assertThat(n1.stats().sendDropped()).as("n3 is no member yet").isEqualTo(1);

        n1.transport.updateMembers(addresses);
        n1.transport.send(new Heartbeat("n1", "n3", 1, 0, 1));
        assertThat(n3.poll()).isEqualTo(new Heartbeat("n1", "n3", 1, 0, 1));

        // n3's answer goes to the address n1 gave in its handshake.
        n3.transport.send(new HeartbeatResponse("n3", "n1", 1, 1));
        assertThat(n1.poll()).isEqualTo(new HeartbeatResponse("n3", "n1", 1, 1));
        assertThat(n3.stats().peers()).containsOnlyKeys("n1");
    }

    @Test
    void aRemovedMembersConnectionClosesAndItsQueueIsFreed() throws Exception {
        n1 = TestNode.start("n1", addresses);
        n2 = TestNode.start("n2", addresses);
        n3 = TestNode.start("n3", addresses);
        n1.transport.send(new Heartbeat("n1", "n2", 1, 0, 1));
        assertThat(n2.poll()).isNotNull();
        Await.until("n1's connection to n2 is up", () -> n1.stats().peers().get("n2").connected());

        n1.transport.updateMembers(Map.of("n1", addresses.get("n1"), "n3", addresses.get("n3")));

        assertThat(n1.stats().peers()).containsOnlyKeys("n3");
        long droppedBefore = n1.stats().sendDropped();
        n1.transport.send(new Heartbeat("n1", "n2", 1, 0, 2));
        assertThat(n1.stats().sendDropped()).isEqualTo(droppedBefore + 1);
        n1.transport.send(new Heartbeat("n1", "n3", 1, 0, 3));
        assertThat(n3.poll()).isEqualTo(new Heartbeat("n1", "n3", 1, 0, 3));
        // Nothing n1 sent after the change reached n2.
        assertThat(n2.inbox).isEmpty();
    }

    @Test
    void aRemovedMemberThatSpeaksIsAnsweredAtItsLastAddress() throws Exception {
        n1 = TestNode.start("n1", addresses);
        n2 = TestNode.start("n2", addresses);
        n3 = TestNode.start("n3", addresses);
        // n2's connection to n1 is up before the change, and stays: n2 does not know it was removed.
        assertThat(TestNode.sendUntilDelivered(n2, n1)).isNotNull();
        n1.transport.updateMembers(Map.of("n1", addresses.get("n1"), "n3", addresses.get("n3")));
        n1.transport.send(new Heartbeat("n1", "n2", 1, 0, 1));
        assertThat(n1.stats().peers()).as("nothing dialled before n2 speaks").containsOnlyKeys("n3");

        // n2 stands for election, as a removed voter does, over the connection it had.
        n2.transport.send(new VoteRequest("n2", "n1", 2, 3, 1, true, false));
        Message heard;
        do {
            heard = n1.poll(); // past the heartbeats that set up n2's connection
        } while (heard instanceof Heartbeat);
        assertThat(heard).isEqualTo(new VoteRequest("n2", "n1", 2, 3, 1, true, false));
        n1.transport.send(new Heartbeat("n1", "n2", 1, 3, 0));

        assertThat(n2.poll()).as("the leader's answer").isEqualTo(new Heartbeat("n1", "n2", 1, 3, 0));
    }

    @Test
    void aMemberThatMovedIsDialledAtItsNewAddressAndABadAddressKeepsTheOldOne() throws Exception {
        n1 = TestNode.start("n1", addresses);
        String moved = "127.0.0.1:" + LoopbackPorts.free();
        Map<String, String> n3Moved = Map.of("n1", addresses.get("n1"), "n2", addresses.get("n2"), "n3", moved);
        n3 = TestNode.start("n3", n3Moved);

        n1.transport.updateMembers(Map.of("n1", addresses.get("n1"), "n2", addresses.get("n2"),
                "n3", "not-an-address"));
        assertThat(n1.stats().peers()).containsKeys("n2", "n3");

        n1.transport.updateMembers(n3Moved);
        n1.transport.send(new Heartbeat("n1", "n3", 1, 0, 7));
        Message m = n3.poll();
        assertThat(m).isEqualTo(new Heartbeat("n1", "n3", 1, 0, 7));
    }
}
