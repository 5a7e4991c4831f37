package io.raftkit.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.testkit.sim.Operation.Kind;
import io.raftkit.testkit.sim.Operation.Outcome;
import io.raftkit.testkit.sim.Operation.ReadMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KvHistoryCheckTest {

    private static long nextId = 1;

    private static Operation put(String key, String value, long invoke, long complete) {
        return new Operation(nextId++, Kind.PUT, key, value, null, null, "n1", invoke, complete, Outcome.OK, null, false);
    }

    private static Operation read(String key, String value, long invoke, long complete) {
        return new Operation(nextId++, Kind.READ, key, null, null, ReadMode.LINEARIZABLE, "n1", invoke, complete,
                Outcome.OK, value, false);
    }

    private static Operation cas(String key, String expected, String value, boolean ok, long invoke, long complete) {
        return new Operation(nextId++, Kind.CAS, key, value, expected, null, "n1", invoke, complete, Outcome.OK, null, ok);
    }

    private static Operation lost(Operation op) {
        return new Operation(op.id(), op.kind(), op.key(), op.value(), op.expected(), op.mode(), op.node(), op.invoke(),
                Long.MAX_VALUE, Outcome.INFO, null, false);
    }

    @Test
    void concurrentOperationsMayTakeEffectInEitherOrder() {
        List<Operation> h = List.of(put("x", "a", 1, 10), read("x", "a", 2, 3), read("x", null, 4, 5), read("x", "a", 11, 12));
        // the read at [4,5] saw nothing although the one at [2,3] saw "a": not linearizable
        assertThat(KvHistoryCheck.check(h).linearizable()).isFalse();
        List<Operation> ok = List.of(put("x", "a", 1, 10), read("x", null, 2, 3), read("x", "a", 4, 5), read("x", "a", 11, 12));
        assertThat(KvHistoryCheck.check(ok).linearizable()).isTrue();
    }

    @Test
    void aStaleReadAfterACompletedWriteIsCaught() {
        List<Operation> h = List.of(put("x", "a", 1, 2), put("x", "b", 3, 4), read("x", "a", 5, 6));
        io.raftkit.testkit.check.LinearizabilityChecker.Result r = KvHistoryCheck.check(h);
        assertThat(r.linearizable()).isFalse();
        assertThat(r.explanation()).contains("partition x");
    }

    @Test
    void compareAndSetResultsMustMatchTheValue() {
        assertThat(KvHistoryCheck.check(List.of(put("x", "a", 1, 2), cas("x", "a", "b", true, 3, 4),
                read("x", "b", 5, 6))).linearizable()).isTrue();
        assertThat(KvHistoryCheck.check(List.of(put("x", "a", 1, 2), cas("x", "a", "b", false, 3, 4)))
                .linearizable()).isFalse();
        assertThat(KvHistoryCheck.check(List.of(cas("x", "", "b", true, 3, 4), read("x", "b", 5, 6)))
                .linearizable()).isTrue();
    }

    @Test
    void anIndeterminateWriteMayOrMayNotHaveHappened() {
        Operation w = lost(put("x", "a", 1, 2));
        assertThat(KvHistoryCheck.check(List.of(w, read("x", null, 3, 4))).linearizable()).isTrue();
        Operation w2 = lost(put("x", "b", 1, 2));
        assertThat(KvHistoryCheck.check(List.of(w2, read("x", "b", 3, 4))).linearizable()).isTrue();
        // ...but not before it was invoked
        Operation w3 = lost(put("x", "c", 5, 6));
        assertThat(KvHistoryCheck.check(List.of(w3, read("x", "c", 3, 4))).linearizable()).isFalse();
    }

    @Test
    void aGenerated10000OperationLinearizableHistoryPassesAndAStaleReadInItIsCaught() {
        List<Operation> history = generate(new SplittableRandom(42), 10_000, 10, 8);
        assertThat(history).hasSize(10_000);
        io.raftkit.testkit.check.LinearizabilityChecker.Result r = KvHistoryCheck.check(history);
        assertThat(r.linearizable()).as(r.explanation()).isTrue();

        List<Operation> broken = makeOneReadStale(history);
        io.raftkit.testkit.check.LinearizabilityChecker.Result b = KvHistoryCheck.check(broken);
        assertThat(b.linearizable()).isFalse();
    }

    /**
     * Clients run one operation at a time; each takes effect at a random point inside its interval,
     * against a real register, so the history is linearizable by construction. Some writes are lost
     * (indeterminate), half of them having taken effect.
     */
    static List<Operation> generate(SplittableRandom rnd, int count, int keys, int clients) {
        record Planned(int index, long invoke, long point, long complete, boolean lost) {}
        long[] clock = new long[clients];
        List<Planned> plans = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int c = i % clients;
            long invoke = clock[c] + 1 + rnd.nextInt(5);
            long point = invoke + 1 + rnd.nextInt(20);
            long complete = point + 1 + rnd.nextInt(20);
            clock[c] = complete;
            plans.add(new Planned(i, invoke, point, complete, rnd.nextInt(50) == 0));
        }
        List<Planned> byPoint = new ArrayList<>(plans);
        byPoint.sort(Comparator.comparingLong(Planned::point).thenComparingInt(Planned::index));
        Map<String, String> register = new HashMap<>();
        Operation[] out = new Operation[count];
        for (Planned p : byPoint) {
            String key = "k" + rnd.nextInt(keys);
            String current = register.getOrDefault(key, "");
            long id = p.index() + 1;
            int dice = rnd.nextInt(10);
            long complete = p.complete();
            Outcome outcome = Outcome.OK;
            if (dice < 4) {
                Operation op = new Operation(id, Kind.READ, key, null, null, ReadMode.LINEARIZABLE, "n1", p.invoke(),
                        complete, outcome, current.isEmpty() ? null : current, false);
                out[p.index()] = op;
                continue;
            }
            String value = "v" + id;
            // As the simulation reports them: a lost write that took effect is known to have done so by
            // the time some node applied it; one that did not is open-ended, and rarer (usually no node
            // applied it, which lets the simulation rule it out).
            boolean takesEffect = !p.lost() || rnd.nextInt(10) != 0;
            if (p.lost()) {
                complete = takesEffect ? complete : Long.MAX_VALUE;
                outcome = Outcome.INFO;
            }
            if (dice < 8) {
                if (takesEffect) {
                    register.put(key, value);
                }
                out[p.index()] = new Operation(id, Kind.PUT, key, value, null, null, "n1", p.invoke(), complete, outcome,
                        null, false);
            } else {
                String expected = rnd.nextBoolean() ? current : "v" + rnd.nextInt(count);
                boolean matches = expected.equals(current);
                if (matches && takesEffect) {
                    register.put(key, value);
                }
                out[p.index()] = new Operation(id, Kind.CAS, key, value, expected, null, "n1", p.invoke(), complete,
                        outcome, null, matches);
            }
        }
        return List.of(out);
    }

    /** Replaces the last read of some key with the value of a write that a later completed write replaced. */
    private static List<Operation> makeOneReadStale(List<Operation> history) {
        List<Operation> out = new ArrayList<>(history);
        for (int i = out.size() - 1; i >= 0; i--) {
            Operation r = out.get(i);
            if (r.kind() != Kind.READ) {
                continue;
            }
            Operation first = null;
            for (Operation w : history) {
                if (w.key().equals(r.key()) && w.kind() == Kind.PUT && w.outcome() == Outcome.OK) {
                    if (first == null) {
                        first = w;
                    } else if (w.invoke() > first.complete() && w.complete() < r.invoke()) {
                        out.set(i, new Operation(r.id(), r.kind(), r.key(), null, null, r.mode(), r.node(), r.invoke(),
                                r.complete(), r.outcome(), first.value(), false));
                        return out;
                    }
                }
            }
        }
        throw new AssertionError("no read could be made stale");
    }
}
