package io.raftkit.core.message;

import io.raftkit.core.GroupChange;
import java.util.Objects;

/**
 * A follower forwards a caller's change to the group (membership, or who leads) to the leader it knows.
 * The leader takes it only in {@code term}, its own, ignores an id it has already seen from this sender
 * in this term, and answers with a {@link GroupChangeResponse}.
 *
 * @param requestId the sender's own id for the request, echoed back; unique per sender
 */
public record GroupChangeRequest(String from, String to, long term, long requestId, GroupChange change)
        implements Message {

    public GroupChangeRequest {
        Messages.check(from, to, term);
        Objects.requireNonNull(change, "change");
    }
}
