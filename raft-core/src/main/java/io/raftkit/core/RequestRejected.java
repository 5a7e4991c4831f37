package io.raftkit.core;

/** A proposal or read request the core could not take, and why. */
public record RequestRejected(long requestId, Reason reason) {

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
        LEADER_CHANGED
    }
}
