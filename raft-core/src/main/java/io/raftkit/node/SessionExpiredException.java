package io.raftkit.node;

/**
 * The command's session has expired (no command for {@code SessionOptions.timeout}), was closed, or never
 * existed; the command was not applied. Whether earlier commands of the session whose answers were lost
 * took effect can no longer be learnt from the session: open a new one.
 */
public final class SessionExpiredException extends RaftException {

    private static final long serialVersionUID = 1L;

    private final long sessionId;

    public SessionExpiredException(long sessionId, String message) {
        super(message);
        this.sessionId = sessionId;
    }

    /** The session the command was sent in. */
    public long sessionId() {
        return sessionId;
    }
}
