package io.raftkit.core.message;

import java.util.Objects;

/**
 * A donor's report on a {@link DelegateSnapshot}. Every request is answered at once, {@link Outcome#SENDING}
 * or {@link Outcome#NOT_SENT} (declined: no snapshot at or after the index asked for), and a transfer's end
 * again, {@link Outcome#SENT} or {@link Outcome#NOT_SENT}. A leader that asks and hears nothing within an
 * election timeout gives up on the donor.
 */
public record DelegateSnapshotResponse(String from, String to, long term, String target, Outcome outcome)
        implements Message {

    /** What became of the request. */
    public enum Outcome {
        /** The transfer is under way (started now, or still going). */
        SENDING(1),
        /** {@code target} acknowledged every chunk. */
        SENT(2),
        /** Declined, or the transfer failed: the leader sends its own. */
        NOT_SENT(3);

        private final int code;

        Outcome(int code) {
            this.code = code;
        }

        /** The wire code. */
        public int code() {
            return code;
        }

        /** The outcome with wire code {@code code}; IllegalArgumentException for an unknown one. */
        public static Outcome fromCode(int code) {
            for (Outcome o : values()) {
                if (o.code == code) {
                    return o;
                }
            }
            throw new IllegalArgumentException("unknown snapshot delegation outcome " + code);
        }
    }

    public DelegateSnapshotResponse {
        Messages.check(from, to, term);
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(outcome, "outcome");
    }
}
