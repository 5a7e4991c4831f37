package io.raftkit.core.sim;

/**
 * The sequential specification of one key of the key-value store, over interned values: state 0 is
 * "absent", other states are value ids. {@link #step} says whether an operation may take effect in a
 * state, and the state after it. An indeterminate CAS has no recorded result, so it may happen in any
 * state; its effect still depends on the state, so the step stays deterministic.
 */
final class KvModel {

    static final int ABSENT = 0;
    /** Returned by {@link #step} when the operation cannot happen in the given state. */
    static final int ILLEGAL = -1;

    private KvModel() {}

    /**
     * @param valueId the id of the operation's written value (PUT, CAS), or of its read value (READ)
     * @param expectedId for CAS, the id of the expected value
     */
    static int step(int state, Operation op, int valueId, int expectedId) {
        switch (op.kind()) {
            case PUT:
                return valueId;
            case CAS: {
                boolean matches = state == expectedId;
                if (op.outcome() == Operation.Outcome.INFO) {
                    return matches ? valueId : state;
                }
                if (op.casSucceeded() != matches) {
                    return ILLEGAL;
                }
                return matches ? valueId : state;
            }
            case READ:
                return state == valueId ? state : ILLEGAL;
            default:
                throw new IllegalStateException("unknown kind " + op.kind());
        }
    }
}
