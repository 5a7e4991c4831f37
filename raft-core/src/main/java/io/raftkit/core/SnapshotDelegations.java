package io.raftkit.core;

import io.raftkit.core.message.DelegateSnapshot;
import io.raftkit.core.message.DelegateSnapshotResponse;
import io.raftkit.core.tracker.Progress;
import io.raftkit.core.tracker.ProgressState;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A leader's snapshots sent by followers ({@link RaftConfig#snapshotsFromFollowers()}): when a follower
 * needs a snapshot, the leader may ask another follower that is caught up (the donor) to stream its own
 * latest one, sparing the leader's disk and network, which serve every write.
 *
 * <p>The leader still decides who needs a snapshot and from which index on: the first index its log has
 * compacted away ({@code minIndex}, its log's first index minus one). Safety does not rest on the donor.
 * A node snapshots only what it has applied, so every snapshot covers committed entries alone, and the
 * entries of any committed index are the same on every node and in every later leader's log (Log
 * Matching, Leader Completeness): a donor's snapshot at index i and term t is the state the leader's own
 * would be at i, with the configuration the log holds at i. The receiver installs it through the same
 * rules as the leader's (only when it is ahead of its log) and answers the leader; if it is older than
 * {@code minIndex}, the leader's probe after it finds the gap and asks again. What the donor is trusted
 * with is only liveness, so the leader watches it:
 * <ul>
 *   <li>a donor that declines (no snapshot at or after {@code minIndex}) or whose transfer fails makes
 *       the leader send its own at once;</li>
 *   <li>a donor answers every request at once; every election timeout the leader repeats it, which a donor
 *       already sending confirms and one that restarted and forgot it takes up again; a request left
 *       unanswered for an election timeout gives the donor up, and the leader sends its own.</li>
 * </ul>
 * Snapshots are taken at multiples of {@code snapshotEveryEntries} on every node, so a caught-up follower
 * usually holds exactly the leader's latest.
 */
final class SnapshotDelegations {

    private static final Logger log = LoggerFactory.getLogger(SnapshotDelegations.class);

    private static final class Delegation {
        final String donor;
        final long minIndex;
        long askedAtTick;
        boolean answered;

        Delegation(String donor, long minIndex, long askedAtTick) {
            this.donor = donor;
            this.minIndex = minIndex;
            this.askedAtTick = askedAtTick;
        }
    }

    /** Delegated transfers, by the node that needs the snapshot. */
    private final Map<String, Delegation> byTarget = new HashMap<>();

    /**
     * {@code target} needs a snapshot at {@code minIndex} or later (its progress is in SNAPSHOT): asks a
     * donor, or, with none suitable, has the leader send its own.
     */
    void need(RaftCore core, String target, long minIndex) {
        String donor = core.config.snapshotsFromFollowers() ? chooseDonor(core, target, minIndex) : null;
        if (donor == null) {
            byTarget.remove(target);
            core.outbox.snapshotsToSend.add(target);
            return;
        }
        byTarget.put(target, new Delegation(donor, minIndex, core.ticks));
        log.info("{}: asking {} to send {} a snapshot at or after index {}", core.id, donor, target, minIndex);
        core.send(new DelegateSnapshot(core.id, donor, core.term, target, minIndex));
    }

    /**
     * The caught-up follower with the most of the log that has answered within the last election timeout
     * (check-quorum's activity) and that the transport has not reported unreachable since: it has most
     * likely applied past {@code minIndex}, and so taken the snapshot there. Null when none.
     */
    private static String chooseDonor(RaftCore core, String target, long minIndex) {
        String best = null;
        long bestMatch = -1;
        for (Map.Entry<String, Progress> e : core.tracker.all().entrySet()) {
            String peer = e.getKey();
            Progress pr = e.getValue();
            if (peer.equals(core.id) || peer.equals(target) || pr.state() != ProgressState.REPLICATE
                    || pr.match() < minIndex || !pr.recentActive() || core.unreachable.contains(peer)) {
                continue;
            }
            if (pr.match() > bestMatch) {
                best = peer;
                bestMatch = pr.match();
            }
        }
        return best;
    }

    /**
     * One tick passed. Every election timeout a delegation's request is repeated if the donor answered the
     * last one; one left unanswered (a donor crashed, cut off, or with its disk hung) is given up on, and
     * the leader sends its own.
     */
    void tick(RaftCore core) {
        if (byTarget.isEmpty()) {
            return;
        }
        for (Iterator<Map.Entry<String, Delegation>> it = byTarget.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Delegation> e = it.next();
            String target = e.getKey();
            Delegation d = e.getValue();
            Progress pr = core.tracker.get(target);
            if (pr == null || pr.state() != ProgressState.SNAPSHOT) {
                it.remove(); // installed (the target's acknowledgement ended SNAPSHOT), or no longer a member
                continue;
            }
            if (core.ticks - d.askedAtTick < core.config.electionTicks()) {
                continue;
            }
            if (d.answered && core.tracker.get(d.donor) != null) {
                d.askedAtTick = core.ticks;
                d.answered = false;
                core.send(new DelegateSnapshot(core.id, d.donor, core.term, target, d.minIndex));
            } else {
                it.remove();
                log.info("{}: donor {} did not answer about {}'s snapshot; sending it the leader's own", core.id,
                        d.donor, target);
                core.outbox.snapshotsToSend.add(target);
            }
        }
    }

    /**
     * A donor reported. Sending: the request is answered. Sent: the leader probes the target again from
     * after the snapshot, as after its own transfer. Not sent (declined or failed): the leader sends its own.
     */
    void answered(RaftCore core, DelegateSnapshotResponse r, LeaderRole leader) {
        Delegation d = byTarget.get(r.target());
        if (d == null || !d.donor.equals(r.from())) {
            return; // an answer to an earlier request, already settled
        }
        switch (r.outcome()) {
            case SENDING -> d.answered = true;
            case SENT -> {
                byTarget.remove(r.target());
                leader.snapshotSent(core, r.target(), true);
            }
            case NOT_SENT -> {
                byTarget.remove(r.target());
                Progress pr = core.tracker.get(r.target());
                if (pr != null && pr.state() == ProgressState.SNAPSHOT) {
                    log.info("{}: {} did not send {} a snapshot; sending it the leader's own", core.id, r.from(),
                            r.target());
                    core.outbox.snapshotsToSend.add(r.target());
                }
            }
        }
    }
}
