package io.raftkit.core;

import io.raftkit.core.message.VoteRequest;
import io.raftkit.core.message.VoteResponse;

/**
 * How a node answers a candidate, whatever its own role: whether a vote request of a higher term is
 * ignored (its term not adopted), and whether a vote is granted. Raft's rules (§5.2, §5.4.1: at most one
 * vote per term, only to a log at least as up to date), the lease rule that check-quorum brings (the
 * thesis, 4.2.3), and the pre-vote's answer for a term not yet taken. The candidate's own side is
 * {@link CandidateRole}.
 */
final class VoteRequests {

    private VoteRequests() {}

    /**
     * True while this node refuses votes (the lease rule, with check-quorum; see {@link LeaderContact}).
     * A leader is always in lease: it never votes for another candidate of a higher term while it leads.
     */
    static boolean inLease(RaftCore core) {
        if (!core.config.checkQuorum()) {
            return false;
        }
        if (core.role.kind() == RaftRole.LEADER) {
            return true;
        }
        return core.rules.refusesVotes(core.leaderContact.ticksSince(core.ticks), core.config.electionTicks(),
                core.leader);
    }

    /**
     * Why a vote request of a higher term is ignored rather than answered (its term not adopted), or null.
     * <ul>
     *   <li>The lease rule, with check-quorum: this node still backs a leader it heard from lately.</li>
     *   <li>The candidate is no voter of this node's configuration, which this node knows is committed,
     *       and its log is behind this node's, so the vote would be refused anyway. A removed node may
     *       never learn that its removal committed (the leader stops sending to it, and tells it only in
     *       answer to a pre-vote: {@link RemovalNotice}), so it may go on standing
     *       ({@link ConfigurationChanges#mayCampaign}); without pre-vote and check-quorum, adopting its
     *       terms deposed every leader the group elected, for as long as it ran (the thesis, 4.2.3; the
     *       simulator's seed 275647). A candidate this node does not know as a voter but whose log is
     *       ahead may be a member of a configuration this node has not received yet, and is answered
     *       (seed 122 broke when all outsiders were ignored). Pre-votes raise no term: answered.</li>
     * </ul>
     */
    static String whyIgnored(RaftCore core, VoteRequest v) {
        if (v.transfer()) {
            return null;
        }
        if (inLease(core)) {
            return "heard from a leader within the election timeout";
        }
        Configuration c = core.tracker.configuration();
        if (!v.preVote() && !c.isVoter(v.from())
                && core.raftLog.configurations().latestIndex() <= core.raftLog.committed()
                && !core.rules.candidateUpToDate(core.raftLog, v.lastLogIndex(), v.lastLogTerm())) {
            return "not a voter of the committed configuration " + c + ", and its log is behind";
        }
        return null;
    }

    /** Grants or refuses the vote {@code m} asks for, in the term {@link RaftCore#step} left this node in. */
    static void answer(RaftCore core, VoteRequest m) {
        // A vote in this very term falls under the lease rule too: a follower that adopted this term
        // from a reply still owes its refusal to the leader of an earlier term.
        boolean canVote = m.from().equals(core.votedFor)
                || (core.votedFor == null && core.leader == null && (!inLease(core) || m.transfer()))
                || (m.preVote() && m.term() > core.term);
        boolean upToDate = core.rules.candidateUpToDate(core.raftLog, m.lastLogIndex(), m.lastLogTerm());
        if (canVote && upToDate) {
            core.send(new VoteResponse(core.id, m.from(), m.preVote() ? m.term() : core.term, true, m.preVote()));
            if (!m.preVote()) {
                if (core.role.kind() == RaftRole.CANDIDATE) {
                    // A candidate that kept no vote for itself (see RaftCore.campaign) gives it up: it
                    // voted for another in this term.
                    core.becomeFollower(core.term, null);
                }
                core.votedFor = m.from();
                core.timer.reset();
            }
        } else {
            core.send(new VoteResponse(core.id, m.from(), core.term, false, m.preVote()));
        }
    }
}
