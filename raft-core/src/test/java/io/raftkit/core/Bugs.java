package io.raftkit.core;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;

/**
 * Wrong versions of the core's {@link SafetyRules}, planted by tests to prove that the simulator's
 * checkers catch them. They live here, in test code: a production core has no way to hold them but
 * the package-private seam.
 */
public final class Bugs {

    /** The bugs a core can carry. */
    enum CoreBug {
        /** The leader commits an entry of an earlier term by counting replicas (violates Figure 8). */
        COMMIT_OLD_TERM_BY_COUNTING,
        /** Votes are granted without the "candidate's log is at least as up-to-date" check. */
        VOTE_WITHOUT_LOG_CHECK,
        /** A follower installs every snapshot it receives, even one at or below its commit index (a stale one). */
        INSTALL_STALE_SNAPSHOT,
        /**
         * A follower honours the lease it granted only while it still knows the leader: adopting a
         * higher term from any message (a late pre-vote refusal) ends the promise early (issue 12).
         */
        LEASE_FORGOTTEN_WITH_THE_LEADER,
        /** A leader starts a configuration change while the previous one has not committed. */
        TWO_CHANGES_IN_FLIGHT,
        /** During joint consensus only the new voters' majority counts (for commits and elections). */
        JOINT_QUORUM_AS_ONE_MAJORITY,
        /** Voters the latest change removed still count towards the quorum. */
        REMOVED_NODE_COUNTED,
        /** A leader keeps serving lease reads after it started handing leadership over. */
        LEASE_KEPT_DURING_TRANSFER
    }

    /** Raft's rules but for the planted bugs. */
    private record Planted(EnumSet<CoreBug> bugs) implements SafetyRules {
        @Override
        public boolean mayCommit(long entryTerm, long currentTerm) {
            return bugs.contains(CoreBug.COMMIT_OLD_TERM_BY_COUNTING) || SafetyRules.super.mayCommit(entryTerm, currentTerm);
        }

        @Override
        public boolean candidateUpToDate(RaftLog log, long lastIndex, long lastTerm) {
            return bugs.contains(CoreBug.VOTE_WITHOUT_LOG_CHECK)
                    || SafetyRules.super.candidateUpToDate(log, lastIndex, lastTerm);
        }

        @Override
        public boolean refusesVotes(long ticksSinceLeaderContact, int electionTicks, String knownLeader) {
            return (knownLeader != null || !bugs.contains(CoreBug.LEASE_FORGOTTEN_WITH_THE_LEADER))
                    && SafetyRules.super.refusesVotes(ticksSinceLeaderContact, electionTicks, knownLeader);
        }

        @Override
        public boolean changeMayStart(Configuration current, boolean currentCommitted, boolean committedInTerm) {
            return bugs.contains(CoreBug.TWO_CHANGES_IN_FLIGHT) ? !current.joint()
                    : SafetyRules.super.changeMayStart(current, currentCommitted, committedInTerm);
        }

        @Override
        public Configuration counted(Configuration latest, Configuration previous) {
            Configuration c = latest;
            if (bugs.contains(CoreBug.JOINT_QUORUM_AS_ONE_MAJORITY) && c.joint()) {
                c = new Configuration(c.voters(), java.util.Set.of(), c.learners(), c.addresses());
            }
            if (bugs.contains(CoreBug.REMOVED_NODE_COUNTED)) {
                java.util.Set<String> voters = new java.util.TreeSet<>(c.voters());
                for (String v : previous.voterList()) {
                    if (!c.isLearner(v)) {
                        voters.add(v);
                    }
                }
                c = new Configuration(voters, c.outgoing(), c.learners(), c.addresses());
            }
            return c;
        }

        @Override
        public boolean transferEndsLease() {
            return !bugs.contains(CoreBug.LEASE_KEPT_DURING_TRANSFER) && SafetyRules.super.transferEndsLease();
        }

        @Override
        public SnapshotAction onSnapshot(RaftLog log, SnapshotMeta meta) {
            return bugs.contains(CoreBug.INSTALL_STALE_SNAPSHOT) ? SnapshotAction.INSTALL
                    : SafetyRules.super.onSnapshot(log, meta);
        }
    }

    private Bugs() {}

    /** The names of the bugs that can be planted in a core. */
    public static List<String> names() {
        return Arrays.stream(CoreBug.values()).map(Enum::name).toList();
    }

    /** Plants the named bug in {@code core}, next to any planted before. */
    public static void plant(RaftCore core, String bugName) {
        EnumSet<CoreBug> bugs = core.rules instanceof Planted p ? EnumSet.copyOf(p.bugs()) : EnumSet.noneOf(CoreBug.class);
        bugs.add(CoreBug.valueOf(bugName));
        core.rules = new Planted(bugs);
    }
}
