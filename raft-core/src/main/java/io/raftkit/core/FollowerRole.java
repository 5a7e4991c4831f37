package io.raftkit.core;

import io.raftkit.core.message.AppendRequest;
import io.raftkit.core.message.AppendResponse;
import io.raftkit.core.message.DelegateSnapshot;
import io.raftkit.core.message.ForwardProposal;
import io.raftkit.core.message.ForwardProposalResponse;
import io.raftkit.core.message.GroupChangeRequest;
import io.raftkit.core.message.GroupChangeResponse;
import io.raftkit.core.message.Heartbeat;
import io.raftkit.core.message.HeartbeatResponse;
import io.raftkit.core.message.InstallSnapshot;
import io.raftkit.core.message.Message;
import io.raftkit.core.message.ReadIndexRequest;
import io.raftkit.core.message.ReadIndexResponse;
import io.raftkit.core.message.TimeoutNow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * A follower accepts the leader's entries, learns the commit index from it, forwards proposals and
 * read-index requests to it, and starts an election when it stops hearing from it.
 */
final class FollowerRole implements Role {

    private final ForwardedProposals forwards;
    /** Read-index requests sent to the leader: the id on the wire to the driver's request id. */
    private final Map<Long, Long> pendingReads = new HashMap<>();
    /** Group changes forwarded to the leader: the id on the wire to the driver's request id. */
    private final Map<Long, Long> pendingChanges = new HashMap<>();
    private long nextWireId;

    FollowerRole(RaftCore core) {
        // Batch ids need only be unique per sender in a term; a random start keeps a restarted follower
        // from reusing the ids of its earlier incarnation, which the leader would drop as duplicates.
        long start = core.randomLong();
        this.forwards = new ForwardedProposals(start);
        // The same for read-index requests, the other way round: the driver numbers its requests from 1
        // in every incarnation, so a late answer to an earlier incarnation's request (same term) would
        // be taken for a new read, with a read index from before that read began (seed 35886). They are
        // another message type, so the same random start serves both.
        this.nextWireId = start;
    }

    @Override
    public RaftRole kind() {
        return RaftRole.FOLLOWER;
    }

    @Override
    public void tick(RaftCore core) {
        if (core.timer.tick()) {
            core.campaign(core.config.preVote());
        }
    }

    @Override
    public void step(RaftCore core, Message m) {
        if (m instanceof AppendRequest a) {
            core.heardFromLeader(a.from());
            handleAppend(core, a);
        } else if (m instanceof Heartbeat h) {
            core.heardFromLeader(h.from());
            core.raftLog.commitTo(Math.min(h.commitIndex(), core.raftLog.lastIndex()));
            if (!h.commitNotice()) {
                core.send(new HeartbeatResponse(core.id, h.from(), core.term, h.readRound()));
            }
        } else if (m instanceof InstallSnapshot s) {
            // The chunk's bytes are the driver's business; the core only notes that the leader is alive,
            // when the leader sent it: a donor's chunk says nothing of whether the leader still leads.
            if (s.fromLeader()) {
                core.heardFromLeader(s.from());
            } else if (core.leader == null) {
                core.leader = s.leader();
            }
        } else if (m instanceof DelegateSnapshot d) {
            core.heardFromLeader(d.from());
            core.outbox.snapshotsToDonate.add(d);
        } else if (m instanceof ReadIndexResponse r) {
            Long requestId = pendingReads.remove(r.requestId());
            if (requestId != null) {
                if (r.success()) {
                    core.outbox.readStates.add(new ReadState(requestId, r.readIndex()));
                } else {
                    core.outbox.reject(requestId, RequestRejected.Reason.NOT_LEADER);
                }
            }
        } else if (m instanceof ForwardProposalResponse r) {
            long[] ids = forwards.complete(r.batchId());
            if (ids != null) {
                for (int i = 0; i < ids.length; i++) {
                    if (r.accepted()) {
                        core.outbox.accepted.add(new ProposalAccepted(ids[i], r.firstIndex() + i, r.term()));
                    } else if (r.overloaded()) {
                        core.outbox.reject(ids[i], RequestRejected.Reason.UNCOMMITTED_FULL, "leader " + r.from()
                                + " holds its RaftConfig.maxUncommittedBytes of uncommitted entries: its followers do"
                                + " not keep up");
                    } else if (r.retry()) {
                        // The leader itself, handing leadership over: it appended nothing of this batch.
                        core.outbox.reject(ids[i], RequestRejected.Reason.TRANSFERRING);
                    } else {
                        // Not NOT_LEADER: the batch went to the leader of this term, so a refusal in
                        // this term means it stepped down, possibly after appending an earlier copy
                        // of this very batch (the network may duplicate) whose answer was lost.
                        core.outbox.reject(ids[i], RequestRejected.Reason.LEADER_CHANGED);
                    }
                }
            }
        } else if (m instanceof TimeoutNow t && t.from().equals(core.leader)) {
            core.campaignForTransfer();
        } else if (m instanceof GroupChangeResponse g) {
            Long requestId = pendingChanges.remove(g.requestId());
            if (requestId != null) {
                if (!g.accepted()) {
                    core.outbox.reject(requestId, reasonOf(g.reason()), g.detail());
                } else if (g.index() > 0) {
                    core.outbox.accepted.add(new ProposalAccepted(requestId, g.index(), g.term()));
                }
            }
        } else if (m instanceof GroupChangeRequest g) {
            core.send(GroupChangeResponse.refused(core.id, g.from(), core.term, g.requestId(),
                    RequestRejected.Reason.LEADER_CHANGED.name(), core.id + " is not the leader of term " + core.term));
        } else if (m instanceof ForwardProposal p) {
            core.send(new ForwardProposalResponse(core.id, p.from(), core.term, p.batchId(), 0, false));
        } else if (m instanceof ReadIndexRequest r) {
            core.send(new ReadIndexResponse(core.id, r.from(), core.term, r.requestId(), 0, false));
        }
    }

    /** Raft's AppendEntries receiver rules (section 5.3), with a conflict hint on rejection. */
    private static void handleAppend(RaftCore core, AppendRequest m) {
        RaftLog raftLog = core.raftLog;
        if (m.prevLogIndex() < raftLog.committed()) {
            // Everything up to the commit index is known to match; the leader resends from there.
            core.send(AppendResponse.success(core.id, m.from(), core.term, raftLog.committed()));
            return;
        }
        if (raftLog.matchTerm(m.prevLogIndex(), m.prevLogTerm())) {
            List<Entry> entries = m.entries();
            int firstNew = raftLog.firstNew(entries);
            if (firstNew >= 0) {
                raftLog.append(firstNew == 0 ? entries : entries.subList(firstNew, entries.size()));
            }
            long lastNew = m.lastIndex();
            raftLog.commitTo(Math.min(m.commitIndex(), lastNew));
            core.send(AppendResponse.success(core.id, m.from(), core.term, lastNew));
            return;
        }
        long conflictTerm;
        long conflictIndex;
        if (m.prevLogIndex() > raftLog.lastIndex()) {
            conflictTerm = 0;
            conflictIndex = raftLog.lastIndex() + 1;
        } else {
            conflictTerm = raftLog.term(m.prevLogIndex());
            conflictIndex = conflictTerm < 0
                    ? raftLog.committed() + 1
                    : raftLog.firstIndexOfTerm(conflictTerm, m.prevLogIndex(), raftLog.committed() + 1);
            conflictTerm = Math.max(conflictTerm, 0);
        }
        core.send(AppendResponse.reject(core.id, m.from(), core.term, m.prevLogIndex(), conflictTerm, conflictIndex));
    }

    @Override
    public void propose(RaftCore core, long requestId, EntryType type, byte[] command) {
        if (core.leader == null) {
            core.outbox.reject(requestId, RequestRejected.Reason.NO_LEADER);
        } else {
            forwards.add(requestId, type, command);
        }
    }

    @Override
    public void read(RaftCore core, long requestId, boolean lease) {
        ask(core, requestId, pendingReads, wireId -> new ReadIndexRequest(core.id, core.leader, core.term, wireId));
    }

    @Override
    public void changeGroup(RaftCore core, long requestId, GroupChange change) {
        ask(core, requestId, pendingChanges,
                wireId -> new GroupChangeRequest(core.id, core.leader, core.term, wireId, change));
    }

    /** Sends the leader a request it answers by id (refused at once when no leader is known). */
    private void ask(RaftCore core, long requestId, Map<Long, Long> pending, LongFunction<Message> request) {
        if (core.leader == null) {
            core.outbox.reject(requestId, RequestRejected.Reason.NO_LEADER);
            return;
        }
        long wireId = nextWireId++;
        pending.put(wireId, requestId);
        core.send(request.apply(wireId));
    }

    /** A refusal's reason as the leader named it; an unknown name (a newer leader) leaves the outcome open. */
    private static RequestRejected.Reason reasonOf(String name) {
        try {
            return RequestRejected.Reason.valueOf(name);
        } catch (IllegalArgumentException unknown) {
            return RequestRejected.Reason.LEADER_CHANGED;
        }
    }

    @Override
    public void flush(RaftCore core) {
        if (forwards.hasBuffered()) {
            List<Long> givenUp = new ArrayList<>();
            core.send(forwards.flush(core.id, core.leader, core.term, givenUp));
            for (long id : givenUp) {
                core.outbox.reject(id, RequestRejected.Reason.LEADER_CHANGED);
            }
        }
    }

    @Override
    public void leave(RaftCore core) {
        for (long id : forwards.takeBuffered()) {
            core.outbox.reject(id, RequestRejected.Reason.NO_LEADER);
        }
        for (long id : forwards.takeInFlight()) {
            core.outbox.reject(id, RequestRejected.Reason.LEADER_CHANGED);
        }
        for (long id : pendingReads.values()) {
            core.outbox.reject(id, RequestRejected.Reason.LEADER_CHANGED);
        }
        for (long id : pendingChanges.values()) {
            core.outbox.reject(id, RequestRejected.Reason.LEADER_CHANGED);
        }
        pendingChanges.clear();
        pendingReads.clear();
    }
}
