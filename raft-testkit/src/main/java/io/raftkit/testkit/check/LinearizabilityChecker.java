package io.raftkit.testkit.check;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Decides whether a client history is linearizable against a {@link Model}: the Wing-Gong search as
 * improved by Lowe, with the memoization of (set of operations placed, model state) that Porcupine and
 * Knossos use, run separately on each of the model's {@linkplain Model#partition partitions}.
 *
 * <p>What goes in: {@link Operation.Outcome#OK} operations must be placed, between their invocation and
 * their return, and return what the model says. {@link Operation.Outcome#UNKNOWN} ones return "at
 * infinity": each may be placed anywhere after its invocation, or nowhere, and its output is not
 * checked. {@link Operation.Outcome#FAILED} ones never took effect and are left out, as are unknown
 * {@linkplain Model#readOnly read-only} ones.
 *
 * <p><b>Limits.</b> The search is exponential in the worst case: each unknown write that overlaps many
 * others can double it. It stops after {@code maxStates} memoized states in one partition (default
 * {@value #DEFAULT_MAX_STATES}). Each memoized state holds a bit per operation of the partition and the
 * model's state, so memory at the bound is about {@code maxStates} times (operations / 8 + the state's
 * size) bytes: keep model states small (a number, not a growing text) and partitions short, or lower the
 * bound. When it stops it answers <em>inconclusive</em>: {@link Result#linearizable()} is then true, because nothing was proved wrong, and
 * {@link Result#inconclusive()} says the verdict is missing. A bound on states rather than time keeps a
 * run's verdict the same on every machine. In practice a partition of a few thousand operations with
 * a few dozen concurrent clients checks in well under a second; keep histories per partition short (use
 * {@link Model#partition}) and record a read's answer, which is what lets the search prune.
 */
public final class LinearizabilityChecker {

    /** Memoized states per partition before a search gives up as inconclusive. */
    public static final int DEFAULT_MAX_STATES = 2_000_000;

    /**
     * The verdict.
     *
     * @param linearizable false only when some order was proved impossible
     * @param explanation for a violation, the operation no order could place and those around it; otherwise a summary
     * @param inconclusive the search stopped at its bound in some partition without a verdict there
     */
    public record Result(boolean linearizable, String explanation, boolean inconclusive) {}

    private LinearizabilityChecker() {}

    /** Checks {@code history} against {@code model}, with the default bound on the search. */
    public static <S, I, O> Result check(Model<S, I, O> model, List<Operation<I, O>> history) {
        return check(model, history, DEFAULT_MAX_STATES);
    }

    /** Checks {@code history} against {@code model}, giving up on a partition after {@code maxStates} states. */
    public static <S, I, O> Result check(Model<S, I, O> model, List<Operation<I, O>> history, int maxStates) {
        Map<Object, List<Operation<I, O>>> parts = new LinkedHashMap<>();
        for (Operation<I, O> op : history) {
            if (op.outcome() == Operation.Outcome.FAILED
                    || (op.outcome() == Operation.Outcome.UNKNOWN && model.readOnly(op.input()))) {
                continue;
            }
            parts.computeIfAbsent(model.partition(op.input()), k -> new ArrayList<>()).add(op);
        }
        String inconclusive = null;
        for (Map.Entry<Object, List<Operation<I, O>>> e : parts.entrySet()) {
            Result r = new Search<>(model, e.getKey(), e.getValue(), maxStates).run();
            if (!r.linearizable()) {
                return r;
            }
            if (r.inconclusive()) {
                inconclusive = r.explanation();
            }
        }
        return inconclusive != null ? new Result(true, inconclusive, true)
                : new Result(true, "linearizable (" + history.size() + " operations, " + parts.size() + " partitions)", false);
    }

    /** The search over one partition. */
    private static final class Search<S, I, O> {
        private final Model<S, I, O> model;
        private final Object partition;
        private final List<Operation<I, O>> ops;
        private final int maxStates;
        private final int n;
        // Entries 0..2n-1 (call of op i = 2i, return = 2i+1) in time order, as a doubly linked list with
        // a head sentinel at index 2n, so that placed calls can be lifted out and put back in O(1).
        private final int[] next;
        private final int[] prev;
        private final int head;

        Search(Model<S, I, O> model, Object partition, List<Operation<I, O>> ops, int maxStates) {
            this.model = model;
            this.partition = partition;
            this.ops = ops;
            this.maxStates = maxStates;
            this.n = ops.size();
            this.head = 2 * n;
            this.next = new int[2 * n + 1];
            this.prev = new int[2 * n + 1];
            Integer[] order = new Integer[2 * n];
            for (int i = 0; i < 2 * n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> {
                long ta = time(ops.get(a / 2), a % 2 == 1);
                long tb = time(ops.get(b / 2), b % 2 == 1);
                return ta != tb ? Long.compare(ta, tb) : Integer.compare(a, b);
            });
            int last = head;
            for (int i = 0; i < 2 * n; i++) {
                next[last] = order[i];
                prev[order[i]] = last;
                last = order[i];
            }
            next[last] = -1;
        }

        Result run() {
            long[] placed = new long[(n + 63) / 64];
            Set<CacheKey> cache = new HashSet<>();
            ArrayDeque<Frame<S>> calls = new ArrayDeque<>();
            S state = model.initial();
            int entry = next[head];
            int deepest = 0;
            int stuckAt = -1;
            while (next[head] != -1) {
                if (entry % 2 == 0) {
                    int i = entry / 2;
                    Operation<I, O> op = ops.get(i);
                    Model.Step<S, O> step = model.step(state, op.input());
                    if (op.outcome() != Operation.Outcome.OK || Objects.deepEquals(step.output(), op.output())) {
                        placed[i >> 6] |= 1L << i;
                        if (cache.size() >= maxStates) {
                            return new Result(true, where() + "search stopped after " + maxStates + " states over "
                                    + n + " operations, no verdict", true);
                        }
                        if (cache.add(new CacheKey(placed.clone(), step.state()))) {
                            calls.push(new Frame<>(entry, state));
                            state = step.state();
                            lift(entry);
                            entry = next[head];
                            continue;
                        }
                        placed[i >> 6] &= ~(1L << i);
                    }
                    entry = next[entry];
                } else {
                    if (calls.size() >= deepest) {
                        deepest = calls.size();
                        stuckAt = entry / 2;
                    }
                    if (calls.isEmpty()) {
                        return new Result(false, explain(stuckAt, deepest), false);
                    }
                    Frame<S> top = calls.pop();
                    int i = top.entry / 2;
                    state = top.stateBefore;
                    placed[i >> 6] &= ~(1L << i);
                    unlift(top.entry);
                    entry = next[top.entry];
                }
            }
            return new Result(true, where() + "linearizable", false);
        }

        private String where() {
            return partition == null ? "" : "partition " + partition + ": ";
        }

        private static long time(Operation<?, ?> op, boolean isReturn) {
            return isReturn ? op.complete() : op.invoke();
        }

        /** Removes a call entry and its return entry from the list. */
        private void lift(int call) {
            int ret = call + 1;
            next[prev[call]] = next[call];
            if (next[call] != -1) {
                prev[next[call]] = prev[call];
            }
            next[prev[ret]] = next[ret];
            if (next[ret] != -1) {
                prev[next[ret]] = prev[ret];
            }
        }

        /** Puts them back (in the reverse order of {@link #lift}). */
        private void unlift(int call) {
            int ret = call + 1;
            next[prev[ret]] = ret;
            if (next[ret] != -1) {
                prev[next[ret]] = ret;
            }
            next[prev[call]] = call;
            if (next[call] != -1) {
                prev[next[call]] = call;
            }
        }

        private String explain(int stuckAt, int deepest) {
            StringBuilder sb = new StringBuilder(partition == null ? "the history" : "the history of partition " + partition)
                    .append(" is not linearizable: ");
            if (stuckAt < 0) {
                return sb.append("no operation can go first").toString();
            }
            Operation<I, O> stuck = ops.get(stuckAt);
            sb.append("after at most ").append(deepest).append(" of ").append(n)
                    .append(" operations no order lets this one complete: ").append(stuck);
            sb.append("\n  operations overlapping it or just before it:");
            int shown = 0;
            for (Operation<I, O> op : ops) {
                if (op.complete() >= stuck.invoke() - 1 && op.invoke() <= stuck.complete() && shown < 30) {
                    sb.append("\n    ").append(op);
                    shown++;
                }
            }
            return sb.toString();
        }
    }

    private record Frame<S>(int entry, S stateBefore) {}

    /** A memoized search state: which operations are placed, and the model's state after them. */
    private record CacheKey(long[] placed, Object state) {
        @Override
        public boolean equals(Object o) {
            return o instanceof CacheKey k && Objects.equals(k.state, state) && Arrays.equals(k.placed, placed);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(placed) * 31 + Objects.hashCode(state);
        }
    }
}
