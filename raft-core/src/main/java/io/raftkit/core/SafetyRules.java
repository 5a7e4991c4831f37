package io.raftkit.core;

/**
 * The decisions Raft's safety rests on, kept behind one seam so that tests can put a wrong one in a
 * core and prove that the simulator catches it (a checker that never fails proves nothing). Production
 * cores use {@link #RAFT}; the wrong versions live in test code ({@code io.raftkit.core.Bugs}).
 */
interface SafetyRules {

    /** What a follower does with a whole snapshot the leader sent. */
    enum SnapshotAction {
        /** At or below the commit index: stale (a late duplicate); installing it would go back. */
        IGNORE,
        /** The log already holds the snapshot's last entry: just commit up to it. */
        COMMIT,
        /** Replace the log and the state machine with it. */
        INSTALL
    }

    /** The rules of the Raft paper. */
    SafetyRules RAFT = new SafetyRules() {};

    /**
     * May a leader of {@code currentTerm} commit up to an index a majority holds, whose entry has
     * {@code entryTerm}? Only entries of its own term, by counting replicas (Figure 8).
     */
    default boolean mayCommit(long entryTerm, long currentTerm) {
        return entryTerm == currentTerm;
    }

    /** Is a candidate whose log ends at ({@code lastIndex}, {@code lastTerm}) at least as up to date as {@code log}? (5.4.1) */
    default boolean candidateUpToDate(RaftLog log, long lastIndex, long lastTerm) {
        return log.isUpToDate(lastIndex, lastTerm);
    }

    /**
     * Does a node that is not the leader refuse votes because of a lease it granted? The lease rule:
     * yes while fewer than {@code electionTicks} of its ticks passed since it last took an append or
     * heartbeat from a leader, whatever its term, role or {@code knownLeader} (see
     * {@code VoteRequests.inLease}).
     */
    default boolean refusesVotes(long ticksSinceLeaderContact, int electionTicks, String knownLeader) {
        return ticksSinceLeaderContact < electionTicks;
    }

    /**
     * May a leader start a configuration change now? Only from a simple configuration whose change has
     * committed (one change in flight at a time), and once it has committed an entry of its own term.
     */
    default boolean changeMayStart(Configuration current, boolean currentCommitted, boolean committedInTerm) {
        return !current.joint() && currentCommitted && committedInTerm;
    }

    /**
     * The configuration whose quorums count, given the latest one in the log and the one before it:
     * the latest, with both voter sets during a joint change.
     */
    default Configuration counted(Configuration latest, Configuration previous) {
        return latest;
    }

    /**
     * Does a leader give up its lease when it starts a leadership transfer? It must: the voters grant
     * the target's campaign past the lease they promised.
     */
    default boolean transferEndsLease() {
        return true;
    }

    /** What to do with a snapshot at {@code meta} that arrived whole. */
    default SnapshotAction onSnapshot(RaftLog log, SnapshotMeta meta) {
        if (meta.index() <= log.committed()) {
            return SnapshotAction.IGNORE;
        }
        return log.matchTerm(meta.index(), meta.term()) ? SnapshotAction.COMMIT : SnapshotAction.INSTALL;
    }
}
