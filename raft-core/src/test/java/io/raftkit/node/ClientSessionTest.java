package io.raftkit.node;

import static io.raftkit.node.TestKv.add;
import static io.raftkit.node.TestKv.str;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkit.core.message.ForwardProposalResponse;
import io.raftkit.testkit.TestCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Client sessions on real nodes: a command sent again with the sequence number it had is answered and
 * not applied again, whichever node answers, after a leader change, a restart or a snapshot install.
 *
 * <p>The retries here are sent by hand (the same session record twice), as a client whose first answer
 * was lost would send them, so that each test controls exactly what was applied before the retry.
 */
class ClientSessionTest {

    private static final long WAIT = 20;

    private static byte[] get(java.util.concurrent.CompletableFuture<byte[]> f) throws Exception {
        return f.get(WAIT, TimeUnit.SECONDS);
    }

    private static long open(RaftNode node) throws Exception {
        return node.openSession().get(WAIT, TimeUnit.SECONDS).id();
    }

    /** The record a session sends for command {@code sequence}: sent twice, it is one command retried. */
    private static byte[] record(long session, long sequence, byte[] command) {
        return new SessionRecord.Command(System.currentTimeMillis(), session, sequence, sequence, command).encode();
    }

    private static String valueOn(RaftNode node, String key) throws Exception {
        return str(node.query(key.getBytes(StandardCharsets.UTF_8), ReadConsistency.STALE).get(WAIT, TimeUnit.SECONDS));
    }

    @Test
    void aRetryAfterALeaderChangeIsAnsweredFromTheSessionAndNotAppliedAgain() throws Exception {
        try (TestCluster<TestKv> c = TestCluster.builder(TestKv::new).build()) {
            String leader = c.awaitLeader();
            long session = open(c.node(leader));
            byte[] first = record(session, 1, add("x", 5));
            assertThat(str(get(c.node(leader).submitSessionRecord(first, 0)))).isEqualTo("5");

            String next = c.ids().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
            c.node(leader).transferLeadership(next).get(WAIT, TimeUnit.SECONDS);
            assertThat(c.awaitLeader()).isEqualTo(next);
            // The retry reaches the new leader through the old one, now a follower.
            assertThat(str(get(c.node(leader).submitSessionRecord(first, 0)))).isEqualTo("5");
            assertThat(str(get(c.node(next).submitSessionRecord(record(session, 2, add("x", 5)), 0))))
                    .isEqualTo("10");
            c.awaitApplied(c.node(next).status().commitIndex());
            for (String id : c.ids()) {
                assertThat(valueOn(c.node(id), "x")).as("x on %s", id).isEqualTo("10");
            }
        }
    }

    @Test
    void aRetryAfterTheLeaderCrashedAndRestartedIsAnsweredFromTheLogItReplayed() throws Exception {
        try (TestCluster<TestKv> c = TestCluster.builder(TestKv::new).build()) {
            String leader = c.awaitLeader();
            long session = open(c.node(leader));
            byte[] first = record(session, 1, add("x", 1));
            assertThat(str(get(c.node(leader).submitSessionRecord(first, 0)))).isEqualTo("1");
            c.awaitApplied(c.node(leader).status().commitIndex());

            c.crash(leader);
            c.restart(leader);
            c.awaitLeader();
            assertThat(str(get(c.node(leader).submitSessionRecord(first, 0)))).isEqualTo("1");
            c.awaitApplied(c.node(c.awaitLeader()).status().commitIndex());
            for (String id : c.ids()) {
                assertThat(valueOn(c.node(id), "x")).as("x on %s", id).isEqualTo("1");
            }
        }
    }

    @Test
    void aNodeThatCaughtUpFromASnapshotAnswersARetryFromTheSessionsInIt() throws Exception {
        try (TestCluster<TestKv> c = TestCluster.builder(TestKv::new).options(TestCluster.fastOptions(5)).build()) {
            String leader = c.awaitLeader();
            String behind = c.ids().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
            c.crash(behind);
            long session = open(c.node(leader));
            byte[] first = record(session, 1, add("x", 1));
            assertThat(str(get(c.node(leader).submitSessionRecord(first, 0)))).isEqualTo("1");
            for (int i = 0; i < 30; i++) {
                get(c.node(leader).submit(TestKv.put("filler", Integer.toString(i))));
            }
            TestCluster.await("the leader snapshotting past the session's entries",
                    () -> c.node(leader).status().lastSnapshotIndex() > session + 1);

            c.restart(behind);
            TestCluster.await("the restarted node installing a snapshot",
                    () -> c.node(behind).metrics().snapshotsInstalled() > 0);
            c.awaitApplied(c.node(leader).status().commitIndex());
            assertThat(str(get(c.node(behind).submitSessionRecord(first, 0)))).isEqualTo("1");
            c.awaitApplied(c.node(leader).status().commitIndex());
            for (String id : c.ids()) {
                assertThat(valueOn(c.node(id), "x")).as("x on %s", id).isEqualTo("1");
            }
        }
    }

    @Test
    void aSessionRetriesByItselfWhenTheOutcomeIsUnknownAndThePlainWriteCannot() throws Exception {
        NodeOptions options = NodeOptions.builder()
                .raft(TestCluster.fastOptions(100_000).raft()).tickInterval(Duration.ofMillis(10))
                .requestTimeout(Duration.ofMillis(300)).build();
        try (TestCluster<TestKv> c = TestCluster.builder(TestKv::new).options(options).build()) {
            String leader = c.awaitLeader();
            String follower = c.ids().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
            ClientSession session = c.node(follower).openSession().get(WAIT, TimeUnit.SECONDS);
            // The leader appends the forwarded command, but its answer to the follower is lost: the
            // follower cannot tell which entry was its write, so the write's outcome is unknown.
            AtomicInteger lost = new AtomicInteger();
            c.network().dropWhere(m -> m instanceof ForwardProposalResponse && m.to().equals(follower)
                    && lost.getAndIncrement() == 0);

            ExecutionException plain = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> c.node(follower).submit(add("plain", 1)).get(WAIT, TimeUnit.SECONDS));
            assertThat(plain.getCause()).isInstanceOf(IndeterminateException.class);

            lost.set(0);
            assertThat(str(session.submit(add("x", 1)).get(WAIT, TimeUnit.SECONDS))).isEqualTo("1");
            assertThat(lost.get()).as("answers lost (the first sent the session into a retry)").isGreaterThan(1);
            assertThat(str(session.submit(add("x", 1)).get(WAIT, TimeUnit.SECONDS))).isEqualTo("2");
            c.awaitApplied(c.node(leader).status().commitIndex());
            for (String id : c.ids()) {
                assertThat(valueOn(c.node(id), "x")).as("x on %s", id).isEqualTo("2");
            }
        }
    }

    @Test
    void manyThreadsMaySubmitThroughOneSession() throws Exception {
        try (TestCluster<TestKv> c = TestCluster.builder(TestKv::new).build()) {
            RaftNode node = c.node(c.awaitLeader());
            ClientSession session = node.openSession().get(WAIT, TimeUnit.SECONDS);
            int threads = 8;
            int each = 50;
            java.util.List<java.util.concurrent.CompletableFuture<byte[]>> all =
                    java.util.Collections.synchronizedList(new java.util.ArrayList<>());
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
            try {
                java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
                java.util.List<java.util.concurrent.Future<?>> started = new java.util.ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    started.add(pool.submit(() -> {
                        go.await();
                        for (int i = 0; i < each; i++) {
                            all.add(session.submit(add("x", 1)));
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (java.util.concurrent.Future<?> f : started) {
                    f.get(WAIT, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdown();
            }
            // Every command applied once, none refused as a duplicate of another thread's.
            for (java.util.concurrent.CompletableFuture<byte[]> f : all) {
                f.get(WAIT, TimeUnit.SECONDS);
            }
            assertThat(str(node.query("x".getBytes(StandardCharsets.UTF_8)).get(WAIT, TimeUnit.SECONDS)))
                    .isEqualTo(Integer.toString(threads * each));
        }
    }

    @Test
    void aClosedSessionRefusesItsCommandsAndAppliesNone() throws Exception {
        try (TestCluster<TestKv> c = TestCluster.builder(TestKv::new).build()) {
            RaftNode node = c.node(c.awaitLeader());
            ClientSession session = node.openSession().get(WAIT, TimeUnit.SECONDS);
            assertThat(str(session.submit(add("x", 1)).get(WAIT, TimeUnit.SECONDS))).isEqualTo("1");
            session.close().get(WAIT, TimeUnit.SECONDS);
            assertThatThrownBy(() -> session.submit(add("x", 1)).get(WAIT, TimeUnit.SECONDS))
                    .cause().isInstanceOf(SessionExpiredException.class)
                    .hasMessageContaining("client session " + session.id());
            assertThat(valueOn(node, "x")).isEqualTo("1");
        }
    }

    @Test
    void aSessionIdleLongerThanItsTimeoutExpires() throws Exception {
        NodeOptions options = NodeOptions.builder()
                .raft(TestCluster.fastOptions(100_000).raft()).tickInterval(Duration.ofMillis(10))
                .sessions(SessionOptions.defaults().withTimeout(Duration.ofMillis(1))).build();
        try (TestCluster<TestKv> c = TestCluster.builder(TestKv::new).options(options).build()) {
            RaftNode node = c.node(c.awaitLeader());
            ClientSession idle = node.openSession().get(WAIT, TimeUnit.SECONDS);
            long openedAt = System.currentTimeMillis();
            TestCluster.await("2 ms to pass", () -> System.currentTimeMillis() > openedAt + 2);
            // The next session record carries a later stamp, which is the group's time.
            assertThatThrownBy(() -> idle.submit(add("x", 1)).get(WAIT, TimeUnit.SECONDS))
                    .cause().isInstanceOf(SessionExpiredException.class).hasMessageContaining("expired after");
            assertThat(valueOn(node, "x")).isEmpty();
        }
    }

    @Test
    void openingMoreSessionsThanTheLimitIsRefusedUntilOneCloses() throws Exception {
        NodeOptions options = NodeOptions.builder()
                .raft(TestCluster.fastOptions(100_000).raft()).tickInterval(Duration.ofMillis(10))
                .sessions(SessionOptions.defaults().withMaxSessions(2)).build();
        try (TestCluster<TestKv> c = TestCluster.builder(TestKv::new).options(options).build()) {
            RaftNode node = c.node(c.awaitLeader());
            ClientSession a = node.openSession().get(WAIT, TimeUnit.SECONDS);
            node.openSession().get(WAIT, TimeUnit.SECONDS);
            assertThatThrownBy(() -> node.openSession().get(WAIT, TimeUnit.SECONDS)).cause()
                    .isInstanceOfSatisfying(RequestRejectedException.class, e -> assertThat(e.reason())
                            .isEqualTo(RequestRejectedException.Reason.TOO_MANY_SESSIONS));
            a.close().get(WAIT, TimeUnit.SECONDS);
            assertThat(node.openSession().get(WAIT, TimeUnit.SECONDS).id()).isPositive();
        }
    }
}
