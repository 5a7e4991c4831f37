package io.raftkit.node;

/**
 * No leader could take the request before its timeout (an election is under way, or this node is cut
 * off from a majority). The request did not take effect; it is safe to retry.
 */
public final class NoLeaderException extends RaftException {

    private static final long serialVersionUID = 1L;

    public NoLeaderException(String message) {
        super(message);
    }
}
