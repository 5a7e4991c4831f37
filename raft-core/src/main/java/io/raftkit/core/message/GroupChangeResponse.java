package io.raftkit.core.message;

import java.util.Objects;

/**
 * The leader's answer to a {@link GroupChangeRequest}. Accepted: a membership change was appended at
 * {@code index} in term {@code term} (0 for a leadership transfer, which appends nothing). Refused:
 * {@code reason} (a {@code RequestRejected.Reason} name) and {@code detail} say why; nothing changed,
 * except for {@code LEADER_CHANGED}, which a node that was no leader in that term answers and which
 * leaves the outcome unknown.
 */
public record GroupChangeResponse(String from, String to, long term, long requestId, boolean accepted, long index,
                                  String reason, String detail) implements Message {

    public GroupChangeResponse {
        Messages.check(from, to, term);
        Messages.nonNegative("index", index);
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
    }

    public static GroupChangeResponse accepted(String from, String to, long term, long requestId, long index) {
        return new GroupChangeResponse(from, to, term, requestId, true, index, "", "");
    }

    public static GroupChangeResponse refused(String from, String to, long term, long requestId, String reason,
                                              String detail) {
        return new GroupChangeResponse(from, to, term, requestId, false, 0, reason, detail);
    }
}
