package io.raftkit.core;

import io.raftkit.core.quorum.JointQuorum;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The leader's pending ReadIndex requests and its lease.
 *
 * <p>Every heartbeat broadcast is a numbered round. A read waits for the first round that starts after
 * it arrived; once a majority has echoed that round, the leader was still leader when the read arrived,
 * so serving it at the commit index recorded then is linearizable. All reads waiting for one round are
 * released together, so a burst of reads costs one heartbeat round.
 *
 * <p>The same rounds give the lease: when a majority has echoed a round, no other leader can be elected
 * until the round's send tick plus the election timeout, because followers that heard from the leader
 * ignore candidates that long.
 */
final class ReadIndexTracker {

    /** A read waiting for its round. {@code origin} is null for a read made on the leader itself. */
    private static final int MAX_UNCONFIRMED_ROUNDS = 1024;

    record PendingRead(String origin, long requestId, long index, long round) {}

    private long round;
    private boolean roundWanted;
    private final ArrayDeque<PendingRead> pending = new ArrayDeque<>();
    /** Reads that arrived before the leader committed an entry of its own term. */
    private final List<PendingRead> beforeFirstCommit = new ArrayList<>();
    private final Map<String, Long> echoed = new HashMap<>();
    /** Rounds not yet echoed by a majority, with the tick each was sent at: {round, tick}. */
    private final ArrayDeque<long[]> roundTicks = new ArrayDeque<>();
    private long leaseStartTick = Long.MIN_VALUE;

    /**
     * Queues a read at {@code index}. When the leader has not yet committed an entry of its term, its
     * commit index may be behind what an earlier leader committed, so the read waits for that commit.
     */
    void add(String origin, long requestId, long index, boolean committedInTerm) {
        PendingRead r = new PendingRead(origin, requestId, index, round + 1);
        if (committedInTerm) {
            pending.add(r);
            roundWanted = true;
        } else {
            beforeFirstCommit.add(r);
        }
    }

    /** The leader committed its first entry of its term at {@code commitIndex}: waiting reads may proceed. */
    void firstCommitInTerm(long commitIndex) {
        for (PendingRead r : beforeFirstCommit) {
            pending.add(new PendingRead(r.origin(), r.requestId(), commitIndex, round + 1));
            roundWanted = true;
        }
        beforeFirstCommit.clear();
    }

    boolean roundWanted() {
        return roundWanted;
    }

    /** Starts a new round sent at {@code tick}; returns its number. */
    long startRound(long tick) {
        round++;
        roundWanted = false;
        roundTicks.add(new long[] {round, tick});
        if (roundTicks.size() > MAX_UNCONFIRMED_ROUNDS) {
            // Forgetting the oldest round only makes the lease more conservative.
            roundTicks.poll();
        }
        return round;
    }

    long round() {
        return round;
    }

    /**
     * {@code peer} echoed {@code echoedRound}. Returns the reads this releases, in arrival order. The
     * leader itself always counts as having echoed the latest round.
     */
    List<PendingRead> echo(String peer, long echoedRound, Configuration configuration, String self) {
        echoed.merge(peer, echoedRound, Math::max);
        long confirmed = JointQuorum.committed(configuration.voters(), configuration.outgoing(),
                id -> id.equals(self) ? round : echoed.getOrDefault(id, 0L));
        while (!roundTicks.isEmpty() && roundTicks.peek()[0] <= confirmed) {
            leaseStartTick = roundTicks.poll()[1];
        }
        List<PendingRead> released = new ArrayList<>();
        while (!pending.isEmpty() && pending.peek().round() <= confirmed) {
            released.add(pending.poll());
        }
        return released;
    }

    /** True when a lease read at {@code tick} is safe, given a lease of {@code leaseTicks}. */
    boolean leaseValid(long tick, int leaseTicks) {
        return leaseStartTick != Long.MIN_VALUE && tick < leaseExpiry(leaseTicks);
    }

    /** The first tick at which the lease no longer holds (meaningful only while it does). */
    long leaseExpiry(int leaseTicks) {
        return leaseStartTick + leaseTicks;
    }

    /** Removes and returns every waiting read (the leader is stepping down). */
    List<PendingRead> drain() {
        List<PendingRead> all = new ArrayList<>(beforeFirstCommit);
        all.addAll(pending);
        beforeFirstCommit.clear();
        pending.clear();
        return all;
    }
}
