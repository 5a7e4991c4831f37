package io.raftkit.node;

import java.util.Objects;

/**
 * A change to the group (membership, or who leads) was refused; nothing changed. {@link #reason()} says
 * whether retrying can help, the message says why in words.
 */
public final class GroupChangeRefusedException extends RaftException {

    private static final long serialVersionUID = 1L;

    /** Why a change was refused. */
    public enum Reason {
        /** Another membership change is not finished (or the leader is too new): retry once it is. */
        CHANGE_IN_PROGRESS,
        /**
         * The change makes no sense from the configuration in force: an unknown node, a node already a
         * member, an address in use, no voter left, a learner too far behind to promote.
         */
        INVALID,
        /** A leadership transfer was refused: the target is no voter, or another transfer is under way. */
        TRANSFER_REFUSED
    }

    private final Reason reason;

    public GroupChangeRefusedException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
