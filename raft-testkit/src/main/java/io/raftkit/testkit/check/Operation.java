package io.raftkit.testkit.check;

/**
 * One client operation of a {@link History}: what was asked, when, and how it ended. Times are positions
 * in the history's single order of events, so "A returned before B was invoked" is exact.
 *
 * @param id the operation's number in its history
 * @param input what the client asked
 * @param output what it was answered (for {@link Outcome#OK}; null otherwise)
 * @param outcome how it ended
 * @param invoke when the client sent it
 * @param complete when its answer came back; {@link Long#MAX_VALUE} when it never will ({@link Outcome#UNKNOWN})
 * @param client who sent it (a thread, a client number, a node: only for reports)
 */
public record Operation<I, O>(long id, I input, O output, Outcome outcome, long invoke, long complete, String client) {

    /** How an operation ended. */
    public enum Outcome {
        /** It took effect and returned {@code output}. */
        OK,
        /** It certainly did not take effect (the service said so: no leader, refused, not committed). */
        FAILED,
        /**
         * Nobody knows: it may have taken effect, at any time after it was invoked, or never (a timeout, a
         * lost connection, an {@code IndeterminateException}). The checker may place it anywhere after its
         * invocation, including never.
         */
        UNKNOWN
    }

    /** This operation with another completion time (used to narrow indeterminate operations). */
    public Operation<I, O> completingAt(long time) {
        return new Operation<>(id, input, output, outcome, invoke, time, client);
    }

    @Override
    public String toString() {
        String result = switch (outcome) {
            case OK -> " -> " + output;
            case FAILED -> " failed";
            case UNKNOWN -> " unknown";
        };
        String end = complete == Long.MAX_VALUE ? "inf" : Long.toString(complete);
        return "op" + id + " " + input + result + (client == null ? "" : " by " + client) + " [" + invoke + ", " + end + "]";
    }
}
