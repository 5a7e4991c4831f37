package io.raftkit.node;

import static io.raftkit.node.TestKv.put;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.core.Entry;
import io.raftkit.core.RaftConfig;
import io.raftkit.core.message.AppendRequest;
import io.raftkit.testkit.TestCluster;
import io.raftkit.testkit.memory.InMemoryTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, on real nodes: a peer that floods the leader (here a stranger, {@code n9}, sending large,
 * stale appends from two threads as fast as it can) is held to {@code NodeOptions.maxInboundBytesPerPeer}
 * on the leader's inbox: its messages past the budget are dropped and counted, while the members'
 * messages, each peer on its own budget, still get in, so writes keep committing through the flood.
 * The flood also takes the machine's CPU, so the election timeout is long (500 ms) and each write goes
 * to whichever node leads when it is sent: what must hold is that writes commit, not that the leader
 * never changes on a starved machine.
 */
class InboundFloodTest {

    @Test
    void aFloodingPeerIsDroppedPastItsBudgetAndTheGroupKeepsCommitting() throws Exception {
        NodeOptions options = NodeOptions.builder()
                .raft(RaftConfig.builder().electionTicks(50).heartbeatTicks(1).build()).tickInterval(Duration.ofMillis(10))
                .requestTimeout(Duration.ofSeconds(5)).maxInboundBytesPerPeer(1 << 20).build();
        try (TestCluster<TestKv> c = TestCluster.builder(TestKv::new).options(options).build()) {
            String leader = c.awaitLeader();
            InMemoryTransport stranger = c.network().transport("n9");
            stranger.start(m -> {});
            List<Entry> entries = new ArrayList<>();
            for (int i = 1; i <= 1_000; i++) {
                entries.add(Entry.command(1, i, new byte[100]));
            }
            // Term 0: older than any leader's, so the leader only refuses it. About 150 KB.
            AppendRequest stale = new AppendRequest("n9", leader, 0, 0, 0, entries, 0);
            AtomicBoolean flooding = new AtomicBoolean(true);
            List<Thread> flooders = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                Thread f = new Thread(() -> {
                    while (flooding.get()) {
                        stranger.send(stale);
                    }
                }, "flooder-" + t);
                f.setDaemon(true);
                flooders.add(f);
                f.start();
            }
            try {
                RaftNode node = c.node(leader);
                TestCluster.await("the leader dropping the flood past its budget", () -> node.metrics().inboundDropped() > 0);
                TestCluster.await("the flood seen waiting in the leader's inbox", () -> {
                    BudgetUse use = node.status().budgets();
                    assertThat(use.inboundBytes()).as("n9's waiting bytes").isLessThanOrEqualTo(use.maxInboundBytesPerPeer());
                    return use.inboundBytes() > 0;
                });
                for (int i = 0; i < 30; i++) {
                    writeThroughTheLeader(c, "k" + i, "v" + i);
                }
            } finally {
                flooding.set(false);
                for (Thread f : flooders) {
                    f.join(TimeUnit.SECONDS.toMillis(10));
                }
            }
            assertThat(c.node(leader).metrics().inboundDropped()).isPositive();
            c.awaitApplied(c.node(c.awaitLeader()).status().commitIndex());
            for (String id : c.ids()) {
                assertThat(c.stateMachine(id).copy()).as(id).containsEntry("k29", "v29");
            }
        }
    }

    /** Writes through the node that leads now, again after a refusal or a lost leadership, until it commits. */
    private static void writeThroughTheLeader(TestCluster<TestKv> c, String key, String value) {
        TestCluster.await("put " + key + " committed", () -> {
            try {
                c.node(c.awaitLeader()).submit(put(key, value)).get(5, TimeUnit.SECONDS);
                return true;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                return false; // put is idempotent: sending it again is safe whatever became of this one
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        });
    }
}
