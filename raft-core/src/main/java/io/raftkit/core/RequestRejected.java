package io.raftkit.core;

/**
 * A proposal or read request the core could not take, and why.
 *
 * @param detail the cause in words, for the caller's error message (never null; may be empty)
 */
public record RequestRejected(long requestId, Reason reason, String detail) {

    /** A rejection whose reason says it all. */
    public RequestRejected(long requestId, Reason reason) {
        this(requestId, reason, "");
    }

    /** Why a request failed. */
    public enum Reason {
        /** No leader is known; nothing was appended. Retry once a leader is elected. */
        NO_LEADER,
        /** The node asked was not the leader; nothing was appended. Retry with the current leader. */
        NOT_LEADER,
        /**
         * The leader changed while the request was in flight. For a proposal the outcome is unknown: it
         * may still commit. For a read, retry.
         */
        LEADER_CHANGED,
        /**
         * A configuration change was refused because another is not finished (or the leader has not yet
         * committed an entry of its term, before which it may not change the configuration); nothing was
         * appended. Retry once it is.
         */
        CHANGE_IN_PROGRESS,
        /** A configuration change was refused as invalid ({@link #detail()} says why); nothing was appended. */
        INVALID_CONFIGURATION,
        /**
         * A leadership transfer was refused ({@link #detail()} says why: the target is not a voter, or
         * another transfer is under way); or, for a proposal, the leader is handing leadership over and
         * takes none (retry: the next leader will).
         */
        TRANSFERRING,
        /**
         * The leader holds {@code RaftConfig.maxUncommittedBytes} of entries not yet committed (its followers
         * do not keep up); nothing was appended. Retry later.
         */
        UNCOMMITTED_FULL
    }
}
