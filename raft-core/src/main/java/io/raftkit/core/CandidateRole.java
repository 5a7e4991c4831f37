package io.raftkit.core;

import io.raftkit.core.message.AppendRequest;
import io.raftkit.core.message.ForwardProposal;
import io.raftkit.core.message.ForwardProposalResponse;
import io.raftkit.core.message.GroupChangeRequest;
import io.raftkit.core.message.GroupChangeResponse;
import io.raftkit.core.message.Heartbeat;
import io.raftkit.core.message.InstallSnapshot;
import io.raftkit.core.message.Message;
import io.raftkit.core.message.ReadIndexRequest;
import io.raftkit.core.message.ReadIndexResponse;
import io.raftkit.core.message.VoteResponse;
import io.raftkit.core.quorum.VoteResult;

/**
 * A candidate (or, with {@code preVote}, a pre-candidate) collects votes. It wins with a majority of
 * grants, returns to follower when a majority rejects it or a leader of its term appears, and starts
 * over when its election times out undecided: a pre-candidate with a new pre-vote, a candidate with a
 * new term.
 */
final class CandidateRole implements Role {

    private final boolean preVote;

    CandidateRole(boolean preVote) {
        this.preVote = preVote;
    }

    @Override
    public RaftRole kind() {
        return preVote ? RaftRole.PRE_CANDIDATE : RaftRole.CANDIDATE;
    }

    @Override
    public void tick(RaftCore core) {
        if (core.timer.tick()) {
            core.campaign(preVote);
        }
    }

    @Override
    public void step(RaftCore core, Message m) {
        String leader = RaftCore.leaderOf(m);
        if (leader != null) {
            // A leader of our term exists: it won this term's election.
            core.becomeFollower(core.term, leader);
            core.role.step(core, m);
        } else if (m instanceof VoteResponse v) {
            if (v.preVote() == preVote) {
                core.tracker.recordVote(v.from(), v.granted());
                tally(core);
            }
        } else if (m instanceof ForwardProposal p) {
            core.send(new ForwardProposalResponse(core.id, p.from(), core.term, p.batchId(), 0, false));
        } else if (m instanceof ReadIndexRequest r) {
            core.send(new ReadIndexResponse(core.id, r.from(), core.term, r.requestId(), 0, false));
        } else if (m instanceof GroupChangeRequest g) {
            core.send(GroupChangeResponse.refused(core.id, g.from(), core.term, g.requestId(),
                    RequestRejected.Reason.LEADER_CHANGED.name(), core.id + " is not the leader of term " + core.term));
        }
    }

    /** Acts on the votes so far; returns true when the election is decided. */
    boolean tally(RaftCore core) {
        VoteResult result = core.tracker.voteResult();
        if (result == VoteResult.WON) {
            if (preVote) {
                core.campaign(false);
            } else {
                core.becomeLeader();
            }
            return true;
        }
        if (result == VoteResult.LOST) {
            core.becomeFollower(core.term, null);
            return true;
        }
        return false;
    }

    @Override
    public void propose(RaftCore core, long requestId, EntryType type, byte[] command) {
        core.outbox.reject(requestId, RequestRejected.Reason.NO_LEADER);
    }

    @Override
    public void read(RaftCore core, long requestId, boolean lease) {
        core.outbox.reject(requestId, RequestRejected.Reason.NO_LEADER);
    }

    @Override
    public void changeGroup(RaftCore core, long requestId, GroupChange change) {
        core.outbox.reject(requestId, RequestRejected.Reason.NO_LEADER);
    }

    @Override
    public void flush(RaftCore core) {}

    @Override
    public void leave(RaftCore core) {}
}
