package io.raftkit.node;

/**
 * The node stopped because its storage (or the state machine) failed; the cause says which file and
 * why. The node serves nothing more; the rest of the group carries on. Reopen the node after fixing the
 * cause. Writes in flight may have taken effect through the other nodes.
 */
public final class NodeFailedException extends RaftException {

    private static final long serialVersionUID = 1L;

    public NodeFailedException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean mayHaveTakenEffect() {
        return true;
    }
}
