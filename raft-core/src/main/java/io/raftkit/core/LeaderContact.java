package io.raftkit.core;

/**
 * When a node last took an append, heartbeat or snapshot chunk from a leader, and with it the promise
 * leases rest on. The lease rule (with check-quorum): a node that took one at its tick t grants no vote
 * and no pre-vote to anyone before its tick t + electionTicks, whatever happens in between to its term,
 * its role or the leader it knows of; only hearing from a leader again moves t.
 *
 * <p>Why it must not depend on the term or the known leader: a follower adopts a higher term from any
 * message (a late pre-vote refusal, a stale reply) and forgets its leader on the way, yet the leader's
 * lease still counts on the refusal this follower promised when it answered the heartbeat round. Keyed
 * to the leader field, that promise lapsed with the term change, and a new leader could be elected and
 * commit while the old one served lease reads ({@code PreVoteRefusalLeaseTest}). The rule also keeps a
 * node returning from a partition from disrupting a healthy leader.
 *
 * <p>A restarted node that has seen a term treats tick 0 as such a contact: it may have taken one just
 * before it crashed, and the lease granted then must still hold. A node that never saw a term has
 * promised nothing. A candidate that the leader handed leadership to is granted past the rule; that
 * leader gave up its lease when it started the transfer.
 */
final class LeaderContact {

    private static final long NEVER = Long.MIN_VALUE / 2;

    private long tick;

    LeaderContact(boolean mayHavePromised) {
        this.tick = mayHavePromised ? 0 : NEVER;
    }

    void heard(long now) {
        tick = now;
    }

    /** Ticks since the last contact: huge when there was none. */
    long ticksSince(long now) {
        return now - tick;
    }

    /** As if an election timeout had passed since the last contact (tests). */
    void forget() {
        tick = NEVER;
    }
}
