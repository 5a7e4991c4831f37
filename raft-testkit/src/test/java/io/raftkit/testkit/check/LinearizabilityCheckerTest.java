package io.raftkit.testkit.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LinearizabilityCheckerTest {

    /** "inc" adds one and returns the new value; "get" returns it. */
    static final Model<Long, String, Long> COUNTER = new Model<>() {
        @Override
        public Long initial() {
            return 0L;
        }

        @Override
        public Step<Long, Long> step(Long n, String op) {
            return op.equals("inc") ? new Step<>(n + 1, n + 1) : new Step<>(n, n);
        }

        @Override
        public boolean readOnly(String op) {
            return op.equals("get");
        }
    };

    @Test
    void concurrentOperationsMayTakeEffectInEitherOrder() {
        History<String, Long> h = new History<>();
        long a = h.invoke("inc", "a");
        long b = h.invoke("inc", "b");
        h.ok(b, 1L); // b went first although a was sent first: they overlapped
        h.ok(a, 2L);
        long r = h.invoke("get", "c");
        h.ok(r, 2L);
        assertThat(LinearizabilityChecker.check(COUNTER, h.operations()).linearizable()).isTrue();
    }

    @Test
    void aReadThatMissesACompletedWriteIsCaughtAndExplained() {
        History<String, Long> h = new History<>();
        long a = h.invoke("inc", "a");
        h.ok(a, 1L);
        long r = h.invoke("get", "b");
        h.ok(r, 0L);
        LinearizabilityChecker.Result result = LinearizabilityChecker.check(COUNTER, h.operations());
        assertThat(result.linearizable()).isFalse();
        assertThat(result.inconclusive()).isFalse();
        assertThat(result.explanation()).contains("op1 get -> 0 by b");
    }

    @Test
    void anUnknownWriteMayHaveTakenEffectOrNot() {
        for (long seen : new long[] {0, 1}) {
            History<String, Long> h = new History<>();
            long a = h.invoke("inc", "a");
            h.unknown(a);
            long r = h.invoke("get", "b");
            h.ok(r, seen);
            assertThat(LinearizabilityChecker.check(COUNTER, h.operations()).linearizable()).as("read %d", seen).isTrue();
        }
        History<String, Long> twice = new History<>();
        long a = twice.invoke("inc", "a");
        twice.unknown(a);
        long r = twice.invoke("get", "b");
        twice.ok(r, 2L);
        assertThat(LinearizabilityChecker.check(COUNTER, twice.operations()).linearizable())
                .as("one increment cannot count twice").isFalse();
    }

    @Test
    void aFailedWriteTookNoEffect() {
        History<String, Long> h = new History<>();
        long a = h.invoke("inc", "a");
        h.failed(a);
        long r = h.invoke("get", "b");
        h.ok(r, 1L);
        assertThat(LinearizabilityChecker.check(COUNTER, h.operations()).linearizable()).isFalse();
    }

    @Test
    void anOperationStillWaitingCountsAsUnknown() {
        History<String, Long> h = new History<>();
        h.invoke("inc", "a"); // never answered
        long r = h.invoke("get", "b");
        h.ok(r, 1L);
        assertThat(h.operations().get(0).outcome()).isEqualTo(Operation.Outcome.UNKNOWN);
        assertThat(LinearizabilityChecker.check(COUNTER, h.operations()).linearizable()).isTrue();
    }

    @Test
    void partitionsAreCheckedApartAndNamedInTheVerdict() {
        Model<Long, String[], Long> counters = new Model<>() {
            @Override
            public Long initial() {
                return 0L;
            }

            @Override
            public Step<Long, Long> step(Long n, String[] op) {
                return COUNTER.step(n, op[1]);
            }

            @Override
            public Object partition(String[] op) {
                return op[0];
            }
        };
        History<String[], Long> h = new History<>();
        long x = h.invoke(new String[] {"x", "inc"}, "a");
        h.ok(x, 1L);
        long y = h.invoke(new String[] {"y", "inc"}, "a");
        h.ok(y, 1L); // each counter starts at 0
        assertThat(LinearizabilityChecker.check(counters, h.operations()).linearizable()).isTrue();
        long bad = h.invoke(new String[] {"y", "get"}, "b");
        h.ok(bad, 2L);
        LinearizabilityChecker.Result r = LinearizabilityChecker.check(counters, h.operations());
        assertThat(r.linearizable()).isFalse();
        assertThat(r.explanation()).startsWith("the history of partition y");
    }

    @Test
    void aSearchOverItsBoundIsInconclusiveNotWrong() {
        History<String, Long> h = new History<>();
        for (int i = 0; i < 12; i++) {
            h.unknown(h.invoke("inc", "c" + i));
        }
        long r = h.invoke("get", "reader");
        h.ok(r, 12L);
        LinearizabilityChecker.Result result = LinearizabilityChecker.check(COUNTER, h.operations(), 3);
        assertThat(result.inconclusive()).isTrue();
        assertThat(result.linearizable()).isTrue();
        assertThat(result.explanation()).contains("no verdict");
        assertThat(LinearizabilityChecker.check(COUNTER, h.operations()).inconclusive()).isFalse();
    }

    @Test
    void outputsCompareByContent() {
        Model<Integer, String, byte[]> bytes = new Model<>() {
            @Override
            public Integer initial() {
                return 0;
            }

            @Override
            public Step<Integer, byte[]> step(Integer s, String op) {
                return new Step<>(s, new byte[] {1, 2});
            }
        };
        History<String, byte[]> h = new History<>();
        h.ok(h.invoke("read", "a"), new byte[] {1, 2});
        assertThat(LinearizabilityChecker.check(bytes, h.operations()).linearizable()).isTrue();
        assertThat(LinearizabilityChecker.check(bytes, List.of()).linearizable()).isTrue();
    }
}
