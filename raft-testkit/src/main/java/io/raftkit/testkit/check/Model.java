package io.raftkit.testkit.check;

/**
 * The sequential specification a client history is checked against: what your service should do if
 * operations ran one at a time. The {@link LinearizabilityChecker} searches for an order of the
 * operations, consistent with their real-time order, in which every completed operation returns what
 * {@link #step} says it would.
 *
 * <p>A model must be deterministic and pure: {@code step} gives the same answer for the same state and
 * input every time and changes nothing (states are values: immutable, with {@code equals} and
 * {@code hashCode}, because the search memoizes them). Outputs are compared with
 * {@link java.util.Objects#deepEquals}, so arrays compare by content.
 *
 * <pre>{@code
 * // A counter: "inc" adds one and returns the new value; "get" returns it.
 * Model<Long, String, Long> counter = new Model<>() {
 *     public Long initial() { return 0L; }
 *     public Step<Long, Long> step(Long n, String op) {
 *         return op.equals("inc") ? new Step<>(n + 1, n + 1) : new Step<>(n, n);
 *     }
 * };
 * }</pre>
 *
 * @param <S> the model's state
 * @param <I> an operation's input (what the client asked)
 * @param <O> an operation's output (what it was answered)
 */
public interface Model<S, I, O> {

    /** The state before any operation. */
    S initial();

    /** The state after {@code input} takes effect in {@code state}, and what it returns. */
    Step<S, O> step(S state, I input);

    /**
     * Which independent part of the state {@code input} touches (a key, an account), or null when
     * everything is one part. Operations on different parts are checked separately: a history is
     * linearizable exactly when each part's is (Herlihy and Wing's locality), and small parts are what
     * keep the search fast. The default is one part.
     */
    default Object partition(I input) {
        return null;
    }

    /**
     * Whether {@code input} never changes the state (a read). An operation that may or may not have
     * happened and changes nothing constrains nothing, so the checker drops it. The default is false.
     */
    default boolean readOnly(I input) {
        return false;
    }

    /**
     * One step of the model.
     *
     * @param state the state after the operation
     * @param output what the operation returns
     */
    record Step<S, O>(S state, O output) {}
}
