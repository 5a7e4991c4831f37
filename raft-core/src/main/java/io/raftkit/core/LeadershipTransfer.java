package io.raftkit.core;

import io.raftkit.core.message.TimeoutNow;
import io.raftkit.core.tracker.Progress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A leader's handing over of leadership (see {@link RaftCore#transferLeadership}): which voter it goes
 * to, since when, and whether the target was told to campaign. While one is under way the leader takes
 * no proposals; the target, once its log is as long as the leader's, gets {@code TimeoutNow}; a target
 * that has not taken over within an election timeout, or that the transport reports unreachable, is
 * given up.
 */
final class LeadershipTransfer {

    private static final Logger log = LoggerFactory.getLogger(LeadershipTransfer.class);

    private String transferee;
    private int elapsed;
    private boolean timeoutNowSent;
    /** Why the last transfer ended without the target taking over; null while none has. */
    private String givenUp;

    /** The node leadership is being handed to, or null. */
    String transferee() {
        return transferee;
    }

    boolean underWay() {
        return transferee != null;
    }

    /** Why the last transfer was given up, or null. */
    String givenUp() {
        return givenUp;
    }

    /**
     * Starts handing leadership to {@code target} (null: the voter whose log is most up to date).
     * Returns why it cannot, or null when it started (or {@code target} is this leader: nothing to do).
     */
    String start(RaftCore core, String target) {
        Configuration c = core.tracker.configuration();
        String to = target != null ? target : mostUpToDateVoter(core);
        if (transferee != null) {
            return "leadership is already being handed to " + transferee;
        } else if (to == null) {
            boolean otherVoters = c.voterList().stream().anyMatch(v -> !v.equals(core.id));
            return otherVoters ? "no other voter is reachable: the transport lost its connection to each"
                    : "there is no other voter to hand leadership to";
        } else if (to.equals(core.id)) {
            return null;
        } else if (c.isLearner(to)) {
            return to + " is a learner: only a voter can lead";
        } else if (!c.isVoter(to)) {
            return to + " is not a member of the group";
        } else if (core.unreachable.contains(to)) {
            return to + " is unreachable: the transport lost its connection to it and has not heard from it"
                    + " since; name another voter, or none for the best one";
        }
        log.info("{}: handing leadership over to {} at term {}", core.id, to, core.term);
        transferee = to;
        elapsed = 0;
        timeoutNowSent = false;
        caughtUp(core);
        return null;
    }

    /** The target's log grew (or the transfer started): once it is as long as the leader's, tell it to campaign. */
    void caughtUp(RaftCore core) {
        Progress pr = transferee == null ? null : core.tracker.get(transferee);
        if (pr != null && pr.match() >= core.raftLog.lastIndex() && !timeoutNowSent) {
            timeoutNowSent = true;
            core.send(new TimeoutNow(core.id, transferee, core.term));
        }
    }

    /** A tick passed: gives the transfer up after an election timeout. */
    void tick(RaftCore core) {
        if (transferee != null && ++elapsed >= core.config.electionTicks()) {
            giveUp(core, "the target did not take over within an election timeout");
        }
    }

    /**
     * The transport cannot reach {@code peer}: a transfer to it is given up now rather than after an
     * election timeout, so that the leader takes proposals again (and a closing leader stops) at once.
     */
    void unreachable(RaftCore core, String peer) {
        if (peer.equals(transferee)) {
            giveUp(core, "the transport lost its connection to the target");
        }
    }

    private void giveUp(RaftCore core, String why) {
        log.info("{}: abandoning the transfer of leadership to {}: {}", core.id, transferee, why);
        givenUp = why + " (" + transferee + ")";
        transferee = null;
    }

    /**
     * The voter to hand leadership to when none was named: of those heard from since the last
     * check-quorum round, the one with the longest log; only when none was, the longest log of all;
     * never one the transport reports unreachable. A voter that has gone quiet (stopped, cut off) would
     * not take over, and the transfer would wait out an election timeout for nothing: in an idle group
     * every log is as long as the leader's, so log length alone picked a node down for a rolling restart
     * as readily as a running one. A node closed a moment ago still counts as heard from lately; its
     * connection's loss is what tells it apart (closing a whole group, the last leader picked a peer
     * closed just before it and waited an election timeout).
     */
    private static String mostUpToDateVoter(RaftCore core) {
        String best = mostUpToDateVoter(core, true);
        return best != null ? best : mostUpToDateVoter(core, false);
    }

    private static String mostUpToDateVoter(RaftCore core, boolean heardFromLately) {
        String best = null;
        long bestMatch = -1;
        for (String v : core.tracker.configuration().voterList()) {
            Progress p = core.tracker.get(v);
            if (!v.equals(core.id) && p != null && p.match() > bestMatch && (!heardFromLately || p.recentActive())
                    && !core.unreachable.contains(v)) {
                best = v;
                bestMatch = p.match();
            }
        }
        return best;
    }
}
