package io.raftkit.node;

/**
 * The node was closed before the request completed. A write may have been handed to the group before
 * that, so {@link #mayHaveTakenEffect()} is true for writes that were already submitted.
 */
public final class NodeClosedException extends RaftException {

    private static final long serialVersionUID = 1L;

    private final boolean maybeApplied;

    public NodeClosedException(String message, boolean maybeApplied) {
        super(message);
        this.maybeApplied = maybeApplied;
    }

    @Override
    public boolean mayHaveTakenEffect() {
        return maybeApplied;
    }
}
