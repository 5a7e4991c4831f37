package io.raftkit.node;

/**
 * The request was refused before it reached the group; it did not take effect. {@link #reason()} says
 * whether retrying can help.
 */
public final class RequestRejectedException extends RaftException {

    private static final long serialVersionUID = 1L;

    /** Why the request was refused. */
    public enum Reason {
        /** The command or query is over {@code NodeOptions.maxCommandBytes}: retrying cannot help. */
        TOO_LARGE,
        /** {@code NodeOptions.maxPendingRequests} requests are pending on this node: retry later. */
        OVERLOADED,
        /**
         * This node's disk has stalled (a write outstanding past {@code NodeOptions.diskStallTimeout}): it
         * cannot serve reads; ask another node, or retry once its disk answers.
         */
        DISK_STALLED,
        /** {@code SessionOptions.maxSessions} sessions are open: close some, or retry once some expire. */
        TOO_MANY_SESSIONS,
        /**
         * The session keeps {@code SessionOptions.maxResponseBytes} of answers its client has not
         * acknowledged; the command was not applied. Retry once earlier commands of the session are answered.
         */
        SESSION_BACKLOG,
        /**
         * The session command's sequence number is below one its client acknowledged: a late duplicate of
         * a command that was applied and answered before. Not applied again; nothing to retry.
         */
        ALREADY_ACKNOWLEDGED
    }

    private final Reason reason;

    public RequestRejectedException(Reason reason, String message) {
        super(message);
        this.reason = java.util.Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
