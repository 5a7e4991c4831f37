package io.raftkit.core;

import io.raftkit.core.message.TimeoutNow;
import io.raftkit.core.tracker.Progress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A leader's handing over of leadership (see {@link RaftCore#transferLeadership}): which voter it goes
 * to, since when, and whether the target was told to campaign. While one is under way the leader takes
 * no proposals; the target, once its log is as long as the leader's, gets {@code TimeoutNow}; a target
 * that has not taken over within an election timeout is given up.
 */
final class LeadershipTransfer {

    private static final Logger log = LoggerFactory.getLogger(LeadershipTransfer.class);

    private String transferee;
    private int elapsed;
    private boolean timeoutNowSent;

    /** The node leadership is being handed to, or null. */
    String transferee() {
        return transferee;
    }

    boolean underWay() {
        return transferee != null;
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
            return "there is no other voter to hand leadership to";
        } else if (to.equals(core.id)) {
            return null;
        } else if (c.isLearner(to)) {
            return to + " is a learner: only a voter can lead";
        } else if (!c.isVoter(to)) {
            return to + " is not a member of the group";
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
            log.info("{}: abandoning the transfer of leadership to {}: it has not taken over within an election timeout",
                    core.id, transferee);
            transferee = null;
        }
    }

    /**
     * The voter to hand leadership to when none was named: of those heard from since the last
     * check-quorum round, the one with the longest log; only when none was, the longest log of all. A
     * voter that has gone quiet (stopped, cut off) would not take over, and the transfer would wait out
     * an election timeout for nothing: in an idle group every log is as long as the leader's, so log
     * length alone picked a node down for a rolling restart as readily as a running one.
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
            if (!v.equals(core.id) && p != null && p.match() > bestMatch && (!heardFromLately || p.recentActive())) {
                best = v;
                bestMatch = p.match();
            }
        }
        return best;
    }
}
