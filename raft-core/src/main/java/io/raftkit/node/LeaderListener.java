package io.raftkit.node;

/**
 * Told when the leader a node knows of changes. Called on the node's apply thread (never on its event
 * loop), in order; keep it short.
 */
@FunctionalInterface
public interface LeaderListener {

    /** {@code leader} is null while no leader is known in {@code term}. */
    void leaderChanged(String leader, long term);
}
