package io.raftkit.core.tracker;

/**
 * The leader's view of one follower's log. Only this class changes its fields; the leader calls the
 * {@code become*}/{@code maybe*}/{@code sent*} methods.
 *
 * <p>Invariants: {@code 0 <= match < next}; in {@link ProgressState#REPLICATE} every index in
 * {@code (match, next)} has been sent; in {@link ProgressState#SNAPSHOT} {@code pendingSnapshot > 0}.
 */
public final class Progress {

    private long match;
    private long next;
    private ProgressState state = ProgressState.PROBE;
    /** In PROBE: an append was sent and not yet answered. */
    private boolean probeSent;
    /** In SNAPSHOT: the index of the snapshot being sent. */
    private long pendingSnapshot;
    /** Heard from since the last check-quorum round. */
    private boolean recentActive;
    /** The highest commit index sent to this follower with an entry it is known or sent to hold. */
    private long commitSent;
    private final Inflights inflights;

    public Progress(long next, int maxInflightMessages, long maxInflightBytes) {
        this.next = Math.max(1, next);
        this.inflights = new Inflights(maxInflightMessages, maxInflightBytes);
    }

    public long match() {
        return match;
    }

    public long next() {
        return next;
    }

    public ProgressState state() {
        return state;
    }

    public long pendingSnapshot() {
        return pendingSnapshot;
    }

    public boolean recentActive() {
        return recentActive;
    }

    public Inflights inflights() {
        return inflights;
    }

    public long commitSent() {
        return commitSent;
    }

    /** The follower was told that {@code index}, an entry it holds or was just sent, is committed. */
    public void sentCommit(long index) {
        commitSent = Math.max(commitSent, index);
    }

    public void markActive(boolean active) {
        recentActive = active;
    }

    /** Sets match for the leader's own record, which never sends to itself. */
    public void selfMatch(long index) {
        match = Math.max(match, index);
        next = Math.max(next, match + 1);
    }

    /** True when nothing more should be sent now. */
    public boolean isPaused() {
        return switch (state) {
            case PROBE -> probeSent;
            case REPLICATE -> inflights.full();
            case SNAPSHOT -> true;
        };
    }

    public void becomeProbe() {
        long from = state == ProgressState.SNAPSHOT ? Math.max(match + 1, pendingSnapshot + 1) : match + 1;
        resetState(ProgressState.PROBE);
        next = from;
    }

    public void becomeReplicate() {
        resetState(ProgressState.REPLICATE);
        next = match + 1;
    }

    public void becomeSnapshot(long snapshotIndex) {
        resetState(ProgressState.SNAPSHOT);
        pendingSnapshot = snapshotIndex;
    }

    private void resetState(ProgressState s) {
        state = s;
        probeSent = false;
        pendingSnapshot = 0;
        inflights.reset();
    }

    /**
     * The follower acknowledged everything up to {@code index}. Returns true when that is news.
     */
    public boolean maybeUpdate(long index) {
        boolean updated = false;
        if (match < index) {
            match = index;
            updated = true;
            probeSent = false;
        }
        next = Math.max(next, index + 1);
        return updated;
    }

    /**
     * An append whose last entry is {@code lastIndex} (or an empty append at {@code next - 1}) was sent.
     */
    public void sentAppend(long lastIndex, int entryCount, long messageBytes) {
        switch (state) {
            case REPLICATE -> {
                if (entryCount > 0) {
                    next = lastIndex + 1;
                    inflights.add(lastIndex, messageBytes);
                }
            }
            case PROBE -> probeSent = true;
            case SNAPSHOT -> throw new IllegalStateException("no appends while a snapshot is pending");
        }
    }

    /** A heartbeat answer shows the follower is alive: a stalled probe may be retried. */
    public void heartbeatAnswered() {
        probeSent = false;
    }

    /**
     * The follower rejected the append that followed {@code rejectedPrevIndex}; {@code hintNext} is where
     * the conflict hint says to try next. Moves to PROBE. Returns false when the rejection is stale (an
     * answer to an append sent before a newer state of this record) and must be ignored.
     */
    public boolean maybeDecreaseTo(long rejectedPrevIndex, long hintNext) {
        if (state == ProgressState.REPLICATE) {
            if (rejectedPrevIndex <= match) {
                return false;
            }
            // The pipeline went wrong somewhere: fall back to probing from the hint.
            resetState(ProgressState.PROBE);
            next = Math.max(match + 1, Math.min(rejectedPrevIndex, hintNext));
            return true;
        }
        if (next - 1 != rejectedPrevIndex) {
            return false;
        }
        next = Math.max(match + 1, Math.min(rejectedPrevIndex, hintNext));
        probeSent = false;
        return true;
    }

    @Override
    public String toString() {
        return state + " match=" + match + " next=" + next
                + (state == ProgressState.SNAPSHOT ? " snapshot=" + pendingSnapshot : "")
                + (probeSent ? " paused" : "") + " inflight=" + inflights.count();
    }
}
