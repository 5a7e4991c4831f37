package io.raftkit.node;

import static io.raftkit.node.TestKv.put;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.testkit.TestCluster;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Which thread applies a node's writes ({@link NodeOptions#applyOnEventLoop}), seen from a user's side. */
class ApplyingThreadsTest {

    private static final int WRITES = 20;

    @Test
    void byDefaultTheEventLoopAppliesWritesWhileTheApplyThreadIsIdle() throws Exception {
        Set<String> threads = applyingThreads(TestCluster.fastOptions(100_000), true);
        assertThat(threads).as("threads that applied the leader's writes").anyMatch(t -> t.startsWith("raft-loop-"));
    }

    @Test
    void turnedOffOnlyTheApplyThreadApplies() throws Exception {
        NodeOptions base = TestCluster.fastOptions(100_000);
        NodeOptions off = NodeOptions.builder().raft(base.raft()).tickInterval(base.tickInterval())
                .requestTimeout(base.requestTimeout()).applyOnEventLoop(false).build();
        Set<String> threads = applyingThreads(off, false);
        assertThat(threads).isNotEmpty().allMatch(t -> t.startsWith("raft-apply-"));
    }

    private static Set<String> applyingThreads(NodeOptions options, boolean reported) throws Exception {
        try (TestCluster<TestKv> c = TestCluster.builder(TestKv::new).options(options).build()) {
            String leader = c.awaitLeader();
            assertThat(c.node(leader).metrics().appliesOnEventLoop()).as("metrics().appliesOnEventLoop()")
                    .isEqualTo(reported);
            Set<String> threads = ConcurrentHashMap.newKeySet();
            for (int i = 0; i < WRITES; i++) {
                c.node(leader).submit(put("k", "v" + i)).get(20, TimeUnit.SECONDS);
                threads.add(c.stateMachine(leader).applyThread.getName());
            }
            return threads;
        }
    }

    /**
     * A callback on the event loop that closes the node: the close waits for that loop to stop, so it
     * must not run on it (it would wait for itself).
     */
    @Test
    void aCallbackOnTheEventLoopMayCloseTheNode() throws Exception {
        try (TestCluster<TestKv> c = TestCluster.builder(TestKv::new).options(TestCluster.fastOptions(100_000))
                .build()) {
            String leader = c.awaitLeader();
            RaftNode node = c.node(leader);
            AtomicBoolean closedFromLoop = new AtomicBoolean();
            for (int i = 0; i < WRITES && !closedFromLoop.get(); i++) {
                node.submit(put("k", "v" + i)).thenRun(() -> {
                    if (Thread.currentThread().getName().startsWith("raft-loop-")) {
                        closedFromLoop.set(true);
                        node.close();
                    }
                }).get(20, TimeUnit.SECONDS);
            }
            assertThat(closedFromLoop).as("a write completed on the event loop").isTrue();
            TestCluster.await("the node to close", () -> !node.isRunning());
            String next = c.awaitLeaderAmong(c.others(leader));
            assertThat(c.node(next).submit(put("after", "1")).get(20, TimeUnit.SECONDS)).isNotNull();
        }
    }
}
