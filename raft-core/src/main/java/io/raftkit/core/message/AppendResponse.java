package io.raftkit.core.message;

/**
 * A follower's answer to an {@link AppendRequest}. Sent only once the entries it acknowledges are
 * durable.
 *
 * <p>On success, {@code matchIndex} is the last index known to match the leader's log. On rejection,
 * {@code rejectedPrevIndex} echoes the request's {@code prevLogIndex} (so the leader can ignore stale
 * rejections), and the follower adds a hint that lets the leader skip a whole term per round trip:
 * {@code conflictTerm} is the follower's term at {@code rejectedPrevIndex} and {@code conflictIndex} the
 * first index the follower holds with that term; when the follower's log is too short,
 * {@code conflictTerm} is 0 and {@code conflictIndex} is its last index + 1.
 */
public record AppendResponse(String from, String to, long term, boolean success, long matchIndex,
                             long rejectedPrevIndex, long conflictTerm, long conflictIndex) implements Message {

    public AppendResponse {
        Messages.check(from, to, term);
        Messages.nonNegative("matchIndex", matchIndex);
        Messages.nonNegative("rejectedPrevIndex", rejectedPrevIndex);
        Messages.nonNegative("conflictTerm", conflictTerm);
        Messages.nonNegative("conflictIndex", conflictIndex);
    }


    /** A success acknowledging everything up to {@code matchIndex}. */
    public static AppendResponse success(String from, String to, long term, long matchIndex) {
        return new AppendResponse(from, to, term, true, matchIndex, 0, 0, 0);
    }

    /** A rejection with a conflict hint. */
    public static AppendResponse reject(String from, String to, long term, long rejectedPrevIndex,
                                        long conflictTerm, long conflictIndex) {
        return new AppendResponse(from, to, term, false, 0, rejectedPrevIndex, conflictTerm, conflictIndex);
    }
}
