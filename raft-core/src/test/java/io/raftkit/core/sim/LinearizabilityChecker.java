package io.raftkit.core.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides whether a key-value history is linearizable: the Wing-Gong search as improved by Lowe, with
 * the memoization of (set of linearized operations, state) that Porcupine and Knossos use, run per
 * key (keys are independent objects, so a history is linearizable iff each key's sub-history is).
 *
 * <p>Input: OK and INFO operations (FAIL ones never took effect and are ignored, as are stale reads,
 * which promise less). An INFO operation returns "at infinity": it may be linearized anywhere after
 * its invocation, including after everything else, where it has no visible effect. That is how "may or
 * may not have taken effect" is expressed. Before the search, INFO writes that nothing could have
 * observed are dropped (see {@link #prune}); otherwise each one would double the search.
 */
public final class LinearizabilityChecker {

    /**
     * The verdict; {@code explanation} says which operation could not be placed, when not linearizable.
     * {@code inconclusive}: the search hit {@link #MAX_STATES} on some key and stopped without a verdict
     * for it ({@code linearizable} is then true: nothing was proved wrong).
     */
    public record Result(boolean linearizable, String explanation, boolean inconclusive) {
        Result(boolean linearizable, String explanation) {
            this(linearizable, explanation, false);
        }
    }

    /**
     * Memoized states per key before the search gives up. The search is exponential in the worst case
     * (many overlapping indeterminate writes); a bound on states, not time, keeps runs deterministic.
     */
    static final int MAX_STATES = 2_000_000;

    private LinearizabilityChecker() {}

    public static Result check(List<Operation> history) {
        Map<String, List<Operation>> byKey = new LinkedHashMap<>();
        for (Operation op : history) {
            if (op.outcome() == Operation.Outcome.FAIL || op.mode() == Operation.ReadMode.STALE) {
                continue;
            }
            if (op.kind() == Operation.Kind.READ && op.outcome() != Operation.Outcome.OK) {
                continue; // a read without an answer constrains nothing
            }
            byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
        }
        String inconclusive = null;
        for (Map.Entry<String, List<Operation>> e : byKey.entrySet()) {
            Result r = checkKey(e.getKey(), prune(e.getValue()));
            if (!r.linearizable()) {
                return r;
            }
            if (r.inconclusive()) {
                inconclusive = r.explanation();
            }
        }
        return inconclusive != null ? new Result(true, inconclusive, true)
                : new Result(true, "linearizable (" + byKey.size() + " keys)");
    }

    /**
     * Narrows INFO writes, which would otherwise each double the search.
     *
     * <p>Values are unique, so a read returning v, or a CAS that found v, saw the one write of v: that
     * write took effect before the earliest such observer returned, which becomes its return time.
     *
     * <p>An INFO write of v that nothing observed is dropped when, in addition, no CAS that failed or is
     * itself INFO could run after it (a write of v could explain a CAS mismatch): any linearization with
     * it stays valid without it, and it can always be put last, so dropping it changes no verdict.
     */
    static List<Operation> prune(List<Operation> ops) {
        Map<String, Long> firstObservedEnd = new HashMap<>();
        long lastMismatchCapableEnd = Long.MIN_VALUE;
        for (Operation op : ops) {
            String seen = null;
            if (op.kind() == Operation.Kind.READ && op.readValue() != null) {
                seen = op.readValue();
            }
            if (op.kind() == Operation.Kind.CAS) {
                if (op.outcome() == Operation.Outcome.OK && op.casSucceeded()) {
                    seen = op.expected();
                } else {
                    lastMismatchCapableEnd = Math.max(lastMismatchCapableEnd, op.complete());
                    if (op.outcome() == Operation.Outcome.INFO) {
                        firstObservedEnd.putIfAbsent(op.expected(), Long.MAX_VALUE);
                    }
                }
            }
            if (seen != null) {
                firstObservedEnd.merge(seen, op.complete(), Math::min);
            }
        }
        List<Operation> kept = new ArrayList<>(ops.size());
        for (Operation op : ops) {
            if (!op.isWrite() || op.outcome() != Operation.Outcome.INFO) {
                kept.add(op);
                continue;
            }
            Long observedBy = firstObservedEnd.get(op.value());
            if (observedBy == null) {
                if (lastMismatchCapableEnd > op.invoke()) {
                    kept.add(op);
                }
            } else if (observedBy < op.complete()) {
                kept.add(new Operation(op.id(), op.kind(), op.key(), op.value(), op.expected(), op.mode(), op.node(),
                        op.invoke(), Math.max(observedBy, op.invoke() + 1), op.outcome(), op.readValue(),
                        op.casSucceeded()));
            } else {
                kept.add(op);
            }
        }
        return kept;
    }

    private static Result checkKey(String key, List<Operation> ops) {
        int n = ops.size();
        if (n == 0) {
            return new Result(true, "empty");
        }
        // Intern values: state 0 is "absent".
        Map<String, Integer> ids = new HashMap<>();
        ids.put("", KvModel.ABSENT);
        int[] valueId = new int[n];
        int[] expectedId = new int[n];
        for (int i = 0; i < n; i++) {
            Operation op = ops.get(i);
            String v = op.kind() == Operation.Kind.READ ? (op.readValue() == null ? "" : op.readValue()) : op.value();
            valueId[i] = ids.computeIfAbsent(v, x -> ids.size());
            expectedId[i] = op.kind() == Operation.Kind.CAS ? ids.computeIfAbsent(op.expected(), x -> ids.size()) : 0;
        }
        // Entries 0..2n-1 (call of op i = 2i, return = 2i+1) in time order, as a doubly linked list with
        // a head sentinel at index 2n, so linearized calls can be lifted out and put back in O(1).
        Integer[] order = new Integer[2 * n];
        for (int i = 0; i < 2 * n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            long ta = time(ops.get(a / 2), a % 2 == 1);
            long tb = time(ops.get(b / 2), b % 2 == 1);
            return ta != tb ? Long.compare(ta, tb) : Integer.compare(a, b);
        });
        int head = 2 * n;
        int[] next = new int[2 * n + 1];
        int[] prev = new int[2 * n + 1];
        int last = head;
        for (int i = 0; i < 2 * n; i++) {
            next[last] = order[i];
            prev[order[i]] = last;
            last = order[i];
        }
        next[last] = -1;

        long[] linearized = new long[(n + 63) / 64];
        Set<CacheKey> cache = new HashSet<>();
        ArrayDeque<int[]> calls = new ArrayDeque<>(); // {entry, stateBefore}
        int state = KvModel.ABSENT;
        int entry = next[head];
        int deepest = 0;
        int stuckAt = -1;
        while (next[head] != -1) {
            if (entry % 2 == 0) {
                int i = entry / 2;
                int after = KvModel.step(state, ops.get(i), valueId[i], expectedId[i]);
                if (after != KvModel.ILLEGAL) {
                    linearized[i >> 6] |= 1L << i;
                    if (cache.size() >= MAX_STATES) {
                        return new Result(true, "key " + key + ": search stopped after " + MAX_STATES
                                + " states over " + n + " operations, no verdict", true);
                    }
                    if (cache.add(new CacheKey(linearized.clone(), after))) {
                        calls.push(new int[] {entry, state});
                        state = after;
                        lift(entry, next, prev);
                        entry = next[head];
                        continue;
                    }
                    linearized[i >> 6] &= ~(1L << i);
                }
                entry = next[entry];
            } else {
                if (calls.size() >= deepest) {
                    deepest = calls.size();
                    stuckAt = entry / 2;
                }
                if (calls.isEmpty()) {
                    return new Result(false, explain(key, ops, stuckAt, deepest));
                }
                int[] top = calls.pop();
                int i = top[0] / 2;
                state = top[1];
                linearized[i >> 6] &= ~(1L << i);
                unlift(top[0], next, prev);
                entry = next[top[0]];
            }
        }
        return new Result(true, "linearizable");
    }

    private static long time(Operation op, boolean isReturn) {
        return isReturn ? op.complete() : op.invoke();
    }

    /** Removes a call entry and its return entry from the list. */
    private static void lift(int call, int[] next, int[] prev) {
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
    private static void unlift(int call, int[] next, int[] prev) {
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

    private static String explain(String key, List<Operation> ops, int stuckAt, int deepest) {
        StringBuilder sb = new StringBuilder("history of key ").append(key).append(" is not linearizable: ");
        if (stuckAt < 0) {
            return sb.append("no operation can go first").toString();
        }
        Operation stuck = ops.get(stuckAt);
        sb.append("after at most ").append(deepest).append(" of ").append(ops.size())
                .append(" operations no order lets this one complete: ").append(stuck);
        sb.append("\n  operations overlapping it or just before it:");
        int shown = 0;
        for (Operation op : ops) {
            if (op.complete() >= stuck.invoke() - 1 && op.invoke() <= stuck.complete() && shown < 30) {
                sb.append("\n    ").append(op);
                shown++;
            }
        }
        return sb.toString();
    }

    /** A memoized search state: which operations are linearized, and the resulting value. */
    private record CacheKey(long[] linearized, int state) {
        @Override
        public boolean equals(Object o) {
            return o instanceof CacheKey k && k.state == state && Arrays.equals(k.linearized, linearized);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(linearized) * 31 + state;
        }
    }
}
