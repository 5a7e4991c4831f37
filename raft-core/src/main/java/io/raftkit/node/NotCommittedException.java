package io.raftkit.node;

/**
 * The write was appended by a leader that lost leadership before it committed, and the next leader
 * replaced it. It definitely did not take effect; it is safe to retry.
 */
public final class NotCommittedException extends RaftException {

    private static final long serialVersionUID = 1L;

    public NotCommittedException(String message) {
        super(message);
    }
}
