package io.raftkit.node;

/**
 * No answer within {@link NodeOptions#requestTimeout()} although a leader was known: the request did not
 * take effect (a write that may have reached a leader fails with {@link IndeterminateException}
 * instead). Retrying is safe; for a read it says nothing about the data, only that it was not served in
 * time.
 */
public final class RequestTimeoutException extends RaftException {

    private static final long serialVersionUID = 1L;

    public RequestTimeoutException(String message) {
        super(message);
    }
}
