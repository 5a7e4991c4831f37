package io.raftkit.node;

/**
 * Why a request to a {@link RaftNode} failed. Each subclass says whether the request may have taken
 * effect: only {@link IndeterminateException} leaves that open.
 */
public class RaftException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RaftException(String message) {
        super(message);
    }

    public RaftException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * True when the request may have been committed and applied although it failed (the client must
     * find out, e.g. by reading, before retrying a non-idempotent command).
     */
    public boolean mayHaveTakenEffect() {
        return false;
    }
}
