package io.raftkit.core.message;

/**
 * A follower asks the leader for a read index: a commit index the leader has confirmed, with a
 * heartbeat round, to be current. {@code requestId} is the follower's own and is echoed back; followers
 * number these from a random start, so that an answer meant for an earlier incarnation of the follower
 * matches none of its current requests.
 */
public record ReadIndexRequest(String from, String to, long term, long requestId) implements Message {

    public ReadIndexRequest {
        Messages.check(from, to, term);
    }
}
