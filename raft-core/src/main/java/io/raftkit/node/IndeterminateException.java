package io.raftkit.node;

/**
 * The outcome of a write is unknown: it was handed to a leader that then lost leadership, or no answer
 * arrived within the timeout. It may yet commit (or already have). Retrying a non-idempotent command
 * may apply it twice; make commands idempotent or check their effect with a linearizable read first.
 */
public final class IndeterminateException extends RaftException {

    private static final long serialVersionUID = 1L;

    public IndeterminateException(String message) {
        super(message);
    }

    @Override
    public boolean mayHaveTakenEffect() {
        return true;
    }
}
