package io.raftkit.core;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Membership changes: how a leader turns a requested configuration into log entries, how every node
 * keeps its replication records in line with the latest configuration its log holds (a configuration
 * takes effect when appended), and who may campaign. The rules and why they are safe are in the
 * README's "Membership changes"; the simulator checks them.
 */
final class ConfigurationChanges {

    private static final Logger log = LoggerFactory.getLogger(ConfigurationChanges.class);

    private ConfigurationChanges() {}

    /** What a leader made of a request to change the configuration: where it appended it, or why not. */
    record Decision(long index, RequestRejected.Reason reason, String detail) {
        static Decision refused(RequestRejected.Reason reason, String detail) {
            return new Decision(0, reason, detail);
        }

        boolean accepted() {
            return reason == null;
        }
    }

    /** A learner further behind the leader's commit index than this is not promoted (it could not vote soon). */
    static final long MAX_PROMOTION_LAG = 1_000;

    /**
     * A leader decides a caller's change to the group (see {@link RaftCore#changeGroup}): a membership
     * change is turned into the next configuration from the one in force and appended; a transfer is
     * started by {@code transfer}.
     */
    static Decision decide(RaftCore core, GroupChange change, boolean committedInTerm, LeadershipTransfer transfer) {
        if (!change.changesMembership()) {
            String refusal = transfer.start(core, change.member());
            return refusal == null ? new Decision(0, null, "") : Decision.refused(RequestRejected.Reason.TRANSFERRING, refusal);
        }
        Configuration next;
        try {
            next = change.next(core.raftLog.configurations().latest());
        } catch (IllegalArgumentException e) {
            return Decision.refused(RequestRejected.Reason.INVALID_CONFIGURATION, e.getMessage());
        }
        if (change.kind() == GroupChange.Kind.PROMOTE) {
            long match = core.matchIndex(change.member());
            if (core.raftLog.committed() - match > MAX_PROMOTION_LAG) {
                return Decision.refused(RequestRejected.Reason.INVALID_CONFIGURATION, "learner " + change.member()
                        + " holds the log up to " + match + ", more than " + MAX_PROMOTION_LAG + " entries behind the"
                        + " commit index " + core.raftLog.committed() + ": promote it once it has caught up");
            }
        }
        return propose(core, next, committedInTerm, transfer.transferee());
    }

    /** A leader appends the change to {@code target} (see {@link RaftCore#proposeConfiguration}), or says why not. */
    static Decision propose(RaftCore core, Configuration target, boolean committedInTerm, String transferee) {
        ConfigurationHistory history = core.raftLog.configurations();
        Configuration current = history.latest();
        String refusal = null;
        RequestRejected.Reason reason = RequestRejected.Reason.INVALID_CONFIGURATION;
        if (target.joint()) {
            refusal = "give the configuration to change to; joint configurations are the leader's own steps";
        } else if (target.voters().isEmpty()) {
            refusal = "the change would leave no voter";
        } else if (!core.rules.changeMayStart(current, history.latestIndex() <= core.raftLog.committed(),
                committedInTerm)) {
            reason = RequestRejected.Reason.CHANGE_IN_PROGRESS;
            // Ongaro's fix for single-server changes: an uncommitted change of an earlier leader may still be
            // in some logs, and a change built on top of another configuration could elect two leaders.
            refusal = committedInTerm
                    ? "the change at index " + history.latestIndex() + " to " + current + " is not finished"
                    : "the leader has not yet committed an entry of its term " + core.term;
        } else if (transferee != null) {
            reason = RequestRejected.Reason.TRANSFERRING;
            refusal = "leadership is being handed to " + transferee;
        }
        if (refusal != null) {
            return Decision.refused(reason, refusal);
        }
        Configuration next = withKnownAddresses(current, target);
        return new Decision(append(core, changedVoters(current, next) <= 1 ? next : current.enterJoint(next)), null, "");
    }

    /**
     * On the leader, once the latest change committed: leave a joint configuration by appending C_new
     * (auto-leave), or, when the leader is no longer a voter, step down: it led the group to the
     * configuration without it.
     */
    static void finish(RaftCore core) {
        ConfigurationHistory history = core.raftLog.configurations();
        if (history.latestIndex() > core.raftLog.committed()) {
            return;
        }
        Configuration c = history.latest();
        if (c.joint()) {
            append(core, c.leaveJoint());
            sync(core);
        } else if (!c.isVoter(core.id)) {
            log.info("{}: stepping down at term {}: the committed configuration {} has no vote for it", core.id,
                    core.term, c);
            core.becomeFollower(core.term, null);
        }
    }

    /**
     * Brings the tracker in line with the latest configuration the log holds (appended, or back to an
     * earlier one after a truncation, or an installed snapshot's), and lets a leader finish a change that
     * committed. Called after every input that can append, truncate or commit.
     */
    static void sync(RaftCore core) {
        ConfigurationHistory history = core.raftLog.configurations();
        Configuration previous = history.at(history.latestIndex() - 1);
        Configuration counted = core.rules.counted(history.latest(), previous);
        Configuration old = core.tracker.configuration();
        Set<String> departing = Set.of();
        if (history.latestIndex() > core.raftLog.committed()) {
            // Until the change commits, members it drops still get the log: so they learn that they
            // left, rather than disrupt the group they no longer belong to. That it committed they learn
            // when they next stand for election (RemovalNotice).
            TreeSet<String> before = new TreeSet<>(previous.members());
            before.removeAll(counted.members());
            departing = before;
        }
        if (!counted.equals(old) || !departing.equals(core.tracker.departing())) {
            core.tracker.configure(counted, departing, core.raftLog.lastIndex() + 1, core.config.maxInflightMessages(),
                    core.config.maxInflightBytes());
            if (!counted.equals(old)) {
                log.info("{}: configuration {} (was {}) from index {}", core.id, counted, old, history.latestIndex());
            }
        }
        if (core.role instanceof LeaderRole) {
            finish(core);
        }
        // Looked at once per committed configuration (this runs after every input), and said only where
        // this node's log shows it leaving: a member catching up replays configurations from before it
        // joined, which leave it out too.
        long at = history.latestIndex();
        if (at > core.removalChecked && at <= core.raftLog.committed()) {
            core.removalChecked = at;
            if (!history.latest().isMember(core.id) && previous.isMember(core.id)) {
                log.info("{}: the committed configuration {} (index {}) leaves this node out: it was removed from the"
                        + " group, unless a later configuration it has not received yet adds it back; it stands for"
                        + " no election", core.id, history.latest(), at);
            }
        }
    }

    /**
     * A voter of its latest configuration campaigns; so does a node that a change not yet known to be
     * committed removes, if it was a voter before: it may be the only node that can finish the change.
     * (Seed 15: a group of two removes n2; n2 holds the change, n1 does not; n1 needs n2's vote, which
     * n2 refuses, its log being longer; if n2 never campaigned, no leader would ever be elected.) Such a
     * candidate counts votes under its latest configuration, without its own, like any other node: it
     * wins only with a quorum of that configuration, commits the change, and steps down.
     */
    static boolean mayCampaign(RaftCore core) {
        if (core.tracker.configuration().isVoter(core.id)) {
            return true;
        }
        ConfigurationHistory history = core.raftLog.configurations();
        return history.latestIndex() > core.raftLog.committed() && history.at(history.latestIndex() - 1).isVoter(core.id);
    }

    private static long append(RaftCore core, Configuration c) {
        long index = core.raftLog.lastIndex() + 1;
        core.raftLog.appendOne(new Entry(core.term, index, EntryType.CONFIGURATION, c.encode()));
        return index;
    }

    /** {@code target}, with the current addresses of its members where it gives none. */
    private static Configuration withKnownAddresses(Configuration current, Configuration target) {
        Map<String, String> addresses = new TreeMap<>();
        for (String m : target.members()) {
            String a = target.addresses().getOrDefault(m, current.addresses().get(m));
            if (a != null) {
                addresses.put(m, a);
            }
        }
        return new Configuration(target.voters(), Set.of(), target.learners(), addresses);
    }

    private static int changedVoters(Configuration a, Configuration b) {
        int changed = 0;
        for (String v : a.voters()) {
            changed += b.voters().contains(v) ? 0 : 1;
        }
        for (String v : b.voters()) {
            changed += a.voters().contains(v) ? 0 : 1;
        }
        return changed;
    }
}
