package io.raftkit.node;

/**
 * The request was refused before it reached the group: the payload is over the configured limit, or
 * too many requests are already pending on this node (back-pressure). It did not take effect.
 */
public final class RequestRejectedException extends RaftException {

    private static final long serialVersionUID = 1L;

    public RequestRejectedException(String message) {
        super(message);
    }
}
