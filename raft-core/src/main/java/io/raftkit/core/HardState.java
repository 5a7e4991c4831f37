package io.raftkit.core;

/**
 * The state a node must keep across crashes besides its log.
 *
 * <p>{@code term} and {@code votedFor} must be durable before any message that depends on them leaves
 * the node (a vote, or a candidate's vote request); otherwise a restarted node could vote twice in one
 * term. {@code commit} is a hint: it is only ever a value that was truly committed, so a restarted node
 * may apply up to it before it hears from a leader, but losing it is harmless.
 *
 * @param term the latest term this node has seen (0 on a fresh node)
 * @param votedFor the node this node voted for in {@code term}, or null
 * @param commit the highest index known to be committed when this state was saved
 */
public record HardState(long term, String votedFor, long commit) {

    /** The state of a node that has never run. */
    public static final HardState EMPTY = new HardState(0, null, 0);

    public HardState {
        if (term < 0) {
            throw new IllegalArgumentException("term must be >= 0, got " + term);
        }
        if (commit < 0) {
            throw new IllegalArgumentException("commit must be >= 0, got " + commit);
        }
    }

    /** True when term or vote differ, the part of the state that must be synced before messages leave. */
    public boolean termOrVoteDiffers(HardState other) {
        return other == null || term != other.term || !java.util.Objects.equals(votedFor, other.votedFor);
    }
}
