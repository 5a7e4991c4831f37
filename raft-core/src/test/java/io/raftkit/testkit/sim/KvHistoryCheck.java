package io.raftkit.testkit.sim;

import io.raftkit.testkit.check.LinearizabilityChecker.Result;
import io.raftkit.testkit.check.LinearizabilityChecker;
import io.raftkit.testkit.check.Model;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks the simulator's key-value history with the testkit's {@link LinearizabilityChecker} (the one
 * users get), against {@link KvModel}, one key per partition. What is particular to this workload happens
 * first: stale reads promise less and are checked elsewhere ({@link StaleReadChecker}), a read without
 * an answer constrains nothing, and indeterminate writes are narrowed by {@link #prune}, which only
 * unique written values make possible.
 */
final class KvHistoryCheck {

    private KvHistoryCheck() {}

    static Result check(List<Operation> history) {
        List<Operation> kept = new ArrayList<>();
        for (Operation op : history) {
            if (op.outcome() == Operation.Outcome.FAIL || op.mode() == Operation.ReadMode.STALE) {
                continue;
            }
            if (op.kind() == Operation.Kind.READ && op.outcome() != Operation.Outcome.OK) {
                continue;
            }
            kept.add(op);
        }
        Map<String, List<Operation>> byKey = new LinkedHashMap<>();
        for (Operation op : kept) {
            byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
        }
        List<io.raftkit.testkit.check.Operation<Operation, Object>> ops = new ArrayList<>();
        for (List<Operation> keyOps : byKey.values()) {
            for (Operation op : prune(keyOps)) {
                ops.add(KvModel.asChecked(op));
            }
        }
        return LinearizabilityChecker.check(KvModel.INSTANCE, ops);
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

}
