package io.raftkit.examples.kvstore;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.node.ReadConsistency;
import io.raftkit.testkit.TestCluster;
import io.raftkit.testkit.check.History;
import io.raftkit.testkit.check.LinearizabilityChecker;
import io.raftkit.testkit.check.StateMachineCheck;
import io.raftkit.testkit.sim.SimulatedClients;
import io.raftkit.testkit.sim.Simulator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The kvstore's state machine under the testkit: the three state-machine checks, and a linearizability
 * check of concurrent clients on an in-memory cluster of it while its leader is cut off and a follower
 * crashes and restarts.
 */
class KvStateMachineChecksTest {

    private static final int KEYS = 6;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] randomCommand(SplittableRandom r) {
        byte[] key = b("k" + r.nextInt(KEYS));
        return switch (r.nextInt(4)) {
            case 0 -> new KvCommand.Delete(key).encode();
            case 1 -> new KvCommand.CompareAndSet(key, b("v" + r.nextInt(20)), b("v" + r.nextInt(20))).encode();
            default -> new KvCommand.Put(key, b("v" + r.nextInt(20))).encode();
        };
    }

    @Test
    void theStateMachineIsDeterministicRoundTripsItsSnapshotsAndAnswersQueriesWithoutChangingState() {
        List<byte[]> queries = new ArrayList<>();
        for (int k = 0; k < KEYS; k++) {
            queries.add(KvQuery.get(b("k" + k)));
        }
        StateMachineCheck.of(KvStateMachine::new)
                .commands(3_000, 11, KvStateMachineChecksTest::randomCommand)
                .queries(queries)
                .assertPasses();
    }

    @Test
    void concurrentClientsThroughLeaderChangesAndACrashSeeALinearizableStore() throws Exception {
        History<KvRegisterModel.Op, String> history = new History<>();
        try (TestCluster<KvStateMachine> cluster = TestCluster.builder(KvStateMachine::new).build()) {
            String first = cluster.awaitLeader();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                int client = c;
                Thread t = new Thread(() -> runClient(cluster, history, client, 40));
                clients.add(t);
                t.start();
            }
            TestCluster.await("the clients under way", () -> history.size() > 20);
            cluster.isolate(first);
            cluster.awaitLeaderAmong(cluster.others(first));
            cluster.heal();
            String follower = cluster.others(cluster.awaitLeader()).get(0);
            cluster.crash(follower);
            cluster.restart(follower);
            for (Thread t : clients) {
                t.join(TimeUnit.SECONDS.toMillis(60));
            }
            assertThat(history.size()).isEqualTo(4 * 40);
        }
        LinearizabilityChecker.Result r = LinearizabilityChecker.check(new KvRegisterModel(), history.operations());
        assertThat(r.linearizable()).as(r.explanation()).isTrue();
        assertThat(r.inconclusive()).as(r.explanation()).isFalse();
    }

    /** Puts unique values and reads keys back, through any node, recording each outcome as RaftKit reports it. */
    private static void runClient(TestCluster<KvStateMachine> cluster, History<KvRegisterModel.Op, String> history,
                                  int client, int operations) {
        SplittableRandom random = new SplittableRandom(client);
        for (int i = 0; i < operations; i++) {
            String node = cluster.ids().get(random.nextInt(cluster.ids().size()));
            String key = "k" + random.nextInt(KEYS);
            boolean write = random.nextBoolean();
            String value = "c" + client + "-" + i;
            long op = history.invoke(write ? KvRegisterModel.Op.put(key, value) : KvRegisterModel.Op.read(key), node);
            if (write) {
                history.record(op, cluster.node(node).submit(new KvCommand.Put(b(key), b(value)).encode()),
                        Duration.ofSeconds(30), answer -> null);
            } else {
                history.record(op, cluster.node(node).query(KvQuery.get(b(key)), ReadConsistency.LINEARIZABLE),
                        Duration.ofSeconds(30), answer -> KvQuery.value(answer)
                                .map(v -> new String(v, StandardCharsets.UTF_8)).orElse(null));
            }
        }
    }

    /** Clients put values unique in the run into a few keys and read them back. */
    static final class RegisterClients implements SimulatedClients<KvRegisterModel.Op, String> {
        private long written;

        @Override
        public KvRegisterModel.Op next(SplittableRandom random) {
            String key = "k" + random.nextInt(KEYS);
            return random.nextInt(100) < 40 ? KvRegisterModel.Op.read(key) : KvRegisterModel.Op.put(key, "v" + ++written);
        }

        @Override
        public boolean isQuery(KvRegisterModel.Op op) {
            return op.value() == null;
        }

        @Override
        public byte[] encode(KvRegisterModel.Op op) {
            return op.value() == null ? KvQuery.get(b(op.key())) : new KvCommand.Put(b(op.key()), b(op.value())).encode();
        }

        @Override
        public String decode(KvRegisterModel.Op op, byte[] answer) {
            return op.value() != null ? null
                    : KvQuery.value(answer).map(v -> new String(v, StandardCharsets.UTF_8)).orElse(null);
        }
    }

    @Test
    void theStoreSurvivesSimulatedFaults() {
        Simulator.of(KvStateMachine::new, RegisterClients::new, new KvRegisterModel()).runSeeds(1, 50);
    }
}
