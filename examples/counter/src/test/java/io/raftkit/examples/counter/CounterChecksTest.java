package io.raftkit.examples.counter;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.node.ReadConsistency;
import io.raftkit.testkit.TestCluster;
import io.raftkit.testkit.check.History;
import io.raftkit.testkit.check.LinearizabilityChecker;
import io.raftkit.testkit.check.Model;
import io.raftkit.testkit.check.StateMachineCheck;
import io.raftkit.testkit.sim.SimulatedClients;
import io.raftkit.testkit.sim.Simulator;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The counter's state machine under the testkit: the state-machine checks, and concurrent adders on a cluster. */
class CounterChecksTest {

    /** What the counter promises: "+n" adds n and returns the new total; "get" returns the total. */
    static final Model<Long, String, Long> COUNTER = new Model<>() {
        @Override
        public Long initial() {
            return 0L;
        }

        @Override
        public Step<Long, Long> step(Long total, String op) {
            return op.equals("get") ? new Step<>(total, total) : new Step<>(total + Long.parseLong(op), total + Long.parseLong(op));
        }

        @Override
        public boolean readOnly(String op) {
            return op.equals("get");
        }
    };

    private static byte[] add(long n) {
        return ByteBuffer.allocate(8).putLong(n).array();
    }

    private static long value(byte[] result) {
        return ByteBuffer.wrap(result).getLong();
    }

    @Test
    void theCounterPassesTheStateMachineChecks() {
        StateMachineCheck.of(ReplicatedCounter.Counter::new)
                .commands(500, 3, random -> add(random.nextLong(-100, 100)))
                .queries(List.of(new byte[0]))
                .assertPasses();
    }

    @Test
    void concurrentAddersThroughALeaderChangeSeeALinearizableCounter() throws Exception {
        History<String, Long> history = new History<>();
        try (TestCluster<ReplicatedCounter.Counter> cluster = TestCluster.builder(ReplicatedCounter.Counter::new).build()) {
            String first = cluster.awaitLeader();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                String node = cluster.ids().get(c);
                Thread t = new Thread(() -> {
                    for (int i = 1; i <= 30; i++) {
                        boolean read = i % 3 == 0;
                        long op = history.invoke(read ? "get" : "+" + i, node);
                        history.record(op, read ? cluster.node(node).query(new byte[0], ReadConsistency.LINEARIZABLE)
                                : cluster.node(node).submit(add(i)), Duration.ofSeconds(30), CounterChecksTest::value);
                    }
                });
                clients.add(t);
                t.start();
            }
            TestCluster.await("the adders under way", () -> history.size() > 10);
            cluster.isolate(first);
            cluster.awaitLeaderAmong(cluster.others(first));
            cluster.heal();
            for (Thread t : clients) {
                t.join(TimeUnit.SECONDS.toMillis(60));
            }
        }
        assertThat(history.size()).isEqualTo(90);
        LinearizabilityChecker.Result r = LinearizabilityChecker.check(COUNTER, history.operations());
        assertThat(r.linearizable()).as(r.explanation()).isTrue();
        assertThat(r.inconclusive()).as(r.explanation()).isFalse();
    }

    /**
     * Clients add ("+n") and read the total ("get"). Each add is a different amount, so that the simulator
     * can tell from the committed log which adds with an unknown outcome took effect, and when.
     */
    static final class Adders implements SimulatedClients<String, Long> {
        private long amount;

        @Override
        public String next(SplittableRandom random) {
            return random.nextInt(3) == 0 ? "get" : "+" + ++amount;
        }

        @Override
        public boolean isQuery(String op) {
            return op.equals("get");
        }

        @Override
        public byte[] encode(String op) {
            return op.equals("get") ? new byte[0] : add(Long.parseLong(op));
        }

        @Override
        public Long decode(String op, byte[] answer) {
            return value(answer);
        }
    }

    @Test
    void theCounterSurvivesSimulatedCrashesPartitionsAndStalls() {
        Simulator.of(ReplicatedCounter.Counter::new, Adders::new, COUNTER).runSeeds(1, 50);
    }
}
