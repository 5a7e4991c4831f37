package io.raftkit.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.EventExecutor;
import io.raftkit.core.Entry;
import io.raftkit.core.message.AppendRequest;
import io.raftkit.core.message.Heartbeat;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A peer whose TCP connection is up but which never reads: once the connection's buffer stops taking
 * writes, the peer's queue fills to its bound and then drops, and the other peers are not held up.
 */
class StalledPeerTest {

    private static final int PAYLOAD = 64 * 1024;
    private static final long BOUND = 4L * 1024 * 1024;
    /** ~96 MiB: far more than loopback socket buffers plus the 2 MiB high-water mark can absorb. */
    private static final int MAX_APPENDS = 1_500;

    private TestNode n1;
    private TestNode n2;

    @AfterEach
    void closeAll() {
        n1.close();
        n2.close();
    }

    /** Returns once every task queued on n1's event loops so far has run (the queue drains included). */
    private void awaitLoops() {
        for (EventExecutor loop : n1.transport.eventLoops().group()) {
            loop.submit(() -> {}).syncUninterruptibly();
        }
    }

    @Test
    void aPeerThatNeverReadsCostsAtMostItsBoundAndHoldsUpNoOne() throws Exception {
        // The kernel completes connections into the backlog, so a socket that is never accepted is a
        // peer that connects and then never reads a byte.
        try (ServerSocket stalled = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Map<String, String> members = new LinkedHashMap<>(LoopbackPorts.members(List.of("n1", "n2")));
            members.put("stalled", "127.0.0.1:" + stalled.getLocalPort());
            n1 = TestNode.start("n1", members, b -> b.maxQueuedBytes(BOUND));
            n2 = TestNode.start("n2", members);
            byte[] payload = new byte[PAYLOAD];
            n1.transport.send(new AppendRequest("n1", "stalled", 1, 0, 1, List.of(Entry.command(1, 1, payload)), 0));
            Await.until("the stalled peer's connection is up", () -> n1.stats().peers().get("stalled").connected());

            // One append at a time, letting the link drain after each: without back-pressure every one
            // would be handed to the connection and none dropped.
            int appends = 1;
            while (appends < MAX_APPENDS && n1.stats().peers().get("stalled").dropped() == 0) {
                appends++;
                n1.transport.send(new AppendRequest("n1", "stalled", 1, appends - 1, 1,
                        List.of(Entry.command(1, appends, payload)), 0));
                awaitLoops();
            }
            TransportStats.Peer slow = n1.stats().peers().get("stalled");
            assertThat(slow.dropped()).as("a drop after %d appends", appends).isPositive();
            assertThat(slow.queuedBytes()).isLessThanOrEqualTo(BOUND);
            assertThat(slow.queuedMessages()).as("held back, not handed to the connection").isPositive();
            assertThat(slow.connected()).isTrue();

            n1.transport.send(new Heartbeat("n1", "n2", 1, 1, 0));
            assertThat(n2.poll()).as("the healthy peer is not held up").isEqualTo(new Heartbeat("n1", "n2", 1, 1, 0));
        }
    }
}
