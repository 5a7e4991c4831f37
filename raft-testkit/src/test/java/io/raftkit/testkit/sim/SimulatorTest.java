package io.raftkit.testkit.sim;

import static io.raftkit.testkit.KvMachine.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkit.testkit.KvMachine;
import io.raftkit.testkit.check.Model;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The simulator on a user's state machine: a small key-value store passes a range of seeds, the same seed
 * replays the same run, and each planted fault fails a run with its seed and the property it broke.
 */
class SimulatorTest {

    /** An operation: a put of {@code value}, or a get when {@code value} is null. */
    record Op(String key, String value) {
        @Override
        public String toString() {
            return value == null ? "get(" + key + ")" : "put(" + key + "=" + value + ")";
        }
    }

    /** Clients put unique values into three keys and read them back. */
    static final class KvClients implements SimulatedClients<Op, String> {
        private long next;

        @Override
        public Op next(SplittableRandom random) {
            String key = "k" + random.nextInt(3);
            return random.nextInt(100) < 40 ? new Op(key, null) : new Op(key, "v" + ++next);
        }

        @Override
        public boolean isQuery(Op op) {
            return op.value() == null;
        }

        @Override
        public byte[] encode(Op op) {
            return bytes(op.value() == null ? op.key() : "put " + op.key() + " " + op.value());
        }

        @Override
        public String decode(Op op, byte[] answer) {
            return new String(answer, StandardCharsets.UTF_8);
        }
    }

    /** Each key a register: a put returns the previous value, a get the current one. */
    static final Model<String, Op, String> MODEL = new Model<>() {
        @Override
        public String initial() {
            return "";
        }

        @Override
        public Step<String, String> step(String value, Op op) {
            return op.value() == null ? new Step<>(value, value) : new Step<>(op.value(), value);
        }

        @Override
        public Object partition(Op op) {
            return op.key();
        }

        @Override
        public boolean readOnly(Op op) {
            return op.value() == null;
        }
    };

    private static Simulator<KvMachine, Op, String> simulator(Supplier<KvMachine> machines) {
        return Simulator.of(machines, KvClients::new, MODEL);
    }

    @Test
    void aCorrectStateMachinePassesEverySeedAndASeedReplaysExactly() {
        List<SimResult> results = simulator(KvMachine::new).runSeeds(1, 40);
        assertThat(results).hasSize(40);
        assertThat(results.stream().mapToInt(SimResult::ok).sum()).isGreaterThan(1_000);
        assertThat(results.stream().filter(r -> r.snapshots().installed() > 0)).isNotEmpty();
        assertThat(simulator(KvMachine::new).run(7).fingerprint()).isEqualTo(simulator(KvMachine::new).run(7).fingerprint());
    }

    @Test
    void anApplyThatReadsTheClockIsCaughtWithItsSeed() {
        assertThatThrownBy(() -> simulator(KvMachine.ReadsTheClock::new).run(3))
                .isInstanceOf(SimulationFailure.class)
                .hasMessageStartingWith("seed=3 ")
                .hasMessageContaining("state machine safety")
                .hasMessageContaining("deterministic")
                .hasMessageContaining("replay: simulator.run(3)");
    }

    /**
     * Snapshots are compared by their bytes, which the planted snapshot leaves the key out of on every
     * replica alike; what shows it is a restored node's answers: to a client (a read the model cannot
     * explain), or to the end-of-run queries compared with a replay of the log.
     */
    @Test
    void aSnapshotThatDropsAKeyIsCaught() {
        SimulationFailure f = firstFailure(simulator(KvMachine.SnapshotDropsAKey::new));
        assertThat(f.getMessage()).containsAnyOf("linearizability: the history of partition k1",
                "a snapshot must hold all of the state");
    }

    @Test
    void aQueryThatChangesStateIsCaught() {
        SimulationFailure f = firstFailure(simulator(KvMachine.QueryCounts::new));
        assertThat(f.getMessage()).contains("state machine safety").contains("not change on queries");
    }

    /**
     * Clients that do not check what they read (every answer counts as nothing), so that linearizability
     * cannot see a stale read: only the end-of-run comparison of every node's answers with a replay of
     * the log can find a snapshot that leaves a key out.
     */
    static final class BlindReaders implements SimulatedClients<Op, String> {
        private final KvClients clients = new KvClients();

        @Override
        public Op next(SplittableRandom random) {
            return clients.next(random);
        }

        @Override
        public boolean isQuery(Op op) {
            return clients.isQuery(op);
        }

        @Override
        public byte[] encode(Op op) {
            return clients.encode(op);
        }

        @Override
        public String decode(Op op, byte[] answer) {
            return null;
        }
    }

    /** {@link #MODEL} with every output nothing, as {@link BlindReaders} see them. */
    static final Model<String, Op, String> BLIND = new Model<>() {
        @Override
        public String initial() {
            return "";
        }

        @Override
        public Step<String, String> step(String value, Op op) {
            return new Step<>(MODEL.step(value, op).state(), null);
        }

        @Override
        public Object partition(Op op) {
            return op.key();
        }
    };

    @Test
    void aSnapshotThatDropsAKeyIsCaughtByTheEndOfRunQueriesWhenClientsDoNotLook() {
        SimulationFailure f = firstFailure(Simulator.of(KvMachine.SnapshotDropsAKey::new, BlindReaders::new, BLIND));
        assertThat(f.getMessage()).contains("state machine safety").contains("answers query")
                .contains("a snapshot must hold all of the state");
        // The same machine, correct, passes with the same blind clients.
        Simulator.of(KvMachine::new, BlindReaders::new, BLIND).runSeeds(1, 20);
    }

    /** The first failing seed among 1..40 (the planted fault needs the right schedule to show). */
    private static SimulationFailure firstFailure(Simulator<KvMachine, Op, String> simulator) {
        for (long seed = 1; seed <= 40; seed++) {
            try {
                simulator.run(seed);
            } catch (SimulationFailure f) {
                assertThat(f.getMessage()).startsWith("seed=" + seed + " ");
                assertThat(f.seed()).isEqualTo(seed);
                return f;
            }
        }
        throw new AssertionError("no seed in 1..40 found the planted fault");
    }
}
