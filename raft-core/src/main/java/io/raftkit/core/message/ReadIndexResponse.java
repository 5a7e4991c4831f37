package io.raftkit.core.message;

/**
 * The leader's answer to a {@link ReadIndexRequest}: once the follower has applied up to
 * {@code readIndex}, a read from its state machine is linearizable. When {@code success} is false the
 * addressee is not (or no longer) the leader and {@code readIndex} is meaningless.
 */
public record ReadIndexResponse(String from, String to, long term, long requestId, long readIndex, boolean success)
        implements Message {

    public ReadIndexResponse {
        Messages.check(from, to, term);
        Messages.nonNegative("readIndex", readIndex);
    }
}
