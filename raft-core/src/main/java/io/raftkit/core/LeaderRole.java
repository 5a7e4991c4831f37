package io.raftkit.core;

import io.raftkit.core.message.AppendRequest;
import io.raftkit.core.message.AppendResponse;
import io.raftkit.core.message.DelegateSnapshot;
import io.raftkit.core.message.DelegateSnapshotResponse;
import io.raftkit.core.message.ForwardProposal;
import io.raftkit.core.message.ForwardProposalResponse;
import io.raftkit.core.message.Heartbeat;
import io.raftkit.core.message.GroupChangeRequest;
import io.raftkit.core.message.GroupChangeResponse;
import io.raftkit.core.message.HeartbeatResponse;
import io.raftkit.core.message.Message;
import io.raftkit.core.message.ReadIndexRequest;
import io.raftkit.core.message.ReadIndexResponse;
import io.raftkit.core.tracker.Progress;
import io.raftkit.core.tracker.ProgressState;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader appends proposals, replicates them with per-follower {@link Progress} (probe, pipelined
 * replicate, snapshot), commits by majority for entries of its own term only (the Figure 8 rule),
 * confirms its leadership for reads, and steps down when it stops hearing from a majority.
 *
 * <p>Message handlers only update records; {@link #flush} sends, once per Ready, so that everything
 * proposed in between travels in one append per follower.
 */
final class LeaderRole implements Role {

    private static final Logger log = LoggerFactory.getLogger(LeaderRole.class);

    private final ReadIndexTracker reads = new ReadIndexTracker();
    private final SeenBatches seenBatches = new SeenBatches();
    /** Forwarded group changes already decided, so that a duplicated request is not decided twice. */
    private final SeenBatches seenChanges = new SeenBatches();
    private int heartbeatElapsed;
    private long noopIndex = Long.MAX_VALUE;
    private final LeadershipTransfer transfer = new LeadershipTransfer();
    /** Set once a transfer started: the votes for the target ignore this leader's lease. */
    private boolean leaseForfeited;
    /**
     * A heartbeat round fell due: sent at the next flush, once however many ticks a driver delivers in
     * a row to catch up with a stall (the round is sent, and its lease anchored, at the latest tick).
     */
    private boolean heartbeatDue;
    private boolean commitAdvanced;
    private boolean committedInTerm;
    /** Bytes appended in this term and not committed: the budget {@code RaftConfig.maxUncommittedBytes}. */
    private UncommittedBytes uncommitted;
    /** Followers to send an append to at the next flush even when it carries no entries. */
    private final Set<String> nudged = new HashSet<>();
    private final SnapshotDelegations delegations = new SnapshotDelegations();

    LeaderRole(RaftCore core) {
        core.tracker.reset(core.raftLog.lastIndex() + 1, core.config.maxInflightMessages(),
                core.config.maxInflightBytes());
    }

    /** Called once the role is installed: take the self record, append the no-op. */
    void start(RaftCore core) {
        // A leader may lead a configuration that no longer has it (it was elected to finish its own
        // removal; see RaftCore.mayCampaign): then it has no record and counts towards no quorum.
        Progress self = core.tracker.get(core.id);
        if (self != null) {
            self.markActive(true);
            self.selfMatch(core.raftLog.persistedIndex());
        }
        core.tracker.resetActivity(core.id);
        // The no-op lets the leader commit entries of earlier terms, which it may not commit by counting
        // replicas (Figure 8), and tells it its commit index is current for reads.
        noopIndex = core.raftLog.lastIndex() + 1;
        uncommitted = new UncommittedBytes(noopIndex);
        append(core, Entry.noop(core.term, noopIndex));
    }

    /**
     * True once the leader's no-op is durable, and with it (written in the same Ready, before it is
     * reported) its term and its vote for itself. Until then everything the leader sends waits for its
     * writes: a leader elected by its own vote alone (a group of one voter, with learners or members
     * being added) would otherwise send entries of a term that a crash can make it take again, with
     * other entries at the same index and term (seed 12 of the first membership campaign).
     */
    boolean termDurable(RaftCore core) {
        return core.raftLog.persistedIndex() >= noopIndex;
    }

    @Override
    public RaftRole kind() {
        return RaftRole.LEADER;
    }

    @Override
    public void tick(RaftCore core) {
        heartbeatElapsed++;
        transfer.tick(core);
        delegations.tick(core);
        core.timer.tick();
        if (!core.timer.withinBaseTimeout()) {
            core.timer.restartCount();
            if (core.config.checkQuorum() && !core.tracker.quorumActive(core.id)) {
                log.warn("{}: stepping down at term {}: not heard from a majority within the election timeout",
                        core.id, core.term);
                core.becomeFollower(core.term, null);
                return;
            }
            // Every election timeout, quorum checked or not: the flags then say who answered lately, which
            // is what a transfer with no target and the choice of a snapshot donor go by.
            core.tracker.resetActivity(core.id);
        }
        if (heartbeatElapsed >= core.config.heartbeatTicks()) {
            heartbeatElapsed = 0;
            heartbeatDue = true;
        }
    }

    @Override
    public void step(RaftCore core, Message m) {
        if (m instanceof AppendResponse r) {
            handleAppendResponse(core, r);
        } else if (m instanceof HeartbeatResponse h) {
            Progress pr = core.tracker.get(h.from());
            if (pr == null) {
                return;
            }
            pr.markActive(true);
            pr.heartbeatAnswered();
            if (pr.match() < core.raftLog.lastIndex() && pr.state() != ProgressState.SNAPSHOT) {
                // An append may have been lost: let one more go so the follower can reject and be probed.
                // In PROBE too, where next may lie past the last index (after a failed snapshot transfer
                // of a log compacted to its end): only a nudge sends a probe with no entries then.
                if (pr.state() == ProgressState.REPLICATE && pr.inflights().full()) {
                    pr.inflights().freeFirst();
                }
                nudged.add(h.from());
            }
            release(core, reads.echo(h.from(), h.readRound(), core.tracker.configuration(), core.id));
        } else if (m instanceof GroupChangeRequest g) {
            if (seenChanges.firstTime(g.from(), g.requestId())) {
                ConfigurationChanges.Decision d = decide(core, g.change());
                core.send(d.accepted() ? GroupChangeResponse.accepted(core.id, g.from(), core.term, g.requestId(), d.index())
                        : GroupChangeResponse.refused(core.id, g.from(), core.term, g.requestId(), d.reason().name(), d.detail()));
            }
        } else if (m instanceof ReadIndexRequest r) {
            reads.add(r.from(), r.requestId(), core.raftLog.committed(), committedInTerm);
        } else if (m instanceof ForwardProposal p) {
            if (!seenBatches.firstTime(p.from(), p.batchId())) {
                return;
            }
            if (transfer.underWay()) {
                core.send(new ForwardProposalResponse(core.id, p.from(), core.term, p.batchId(), 0, false, true));
                return;
            }
            long bytes = 0;
            for (byte[] c : p.commands()) {
                bytes += c.length + Entry.OVERHEAD_BYTES;
            }
            if (!roomFor(core, bytes)) {
                core.send(ForwardProposalResponse.overloaded(core.id, p.from(), core.term, p.batchId()));
                return;
            }
            long first = core.raftLog.lastIndex() + 1;
            for (int i = 0; i < p.commands().size(); i++) {
                append(core, new Entry(core.term, core.raftLog.lastIndex() + 1, p.typeOf(i), p.commands().get(i)));
            }
            core.send(new ForwardProposalResponse(core.id, p.from(), core.term, p.batchId(), first, true));
        } else if (m instanceof DelegateSnapshotResponse r) {
            delegations.answered(core, r, this);
        } else if (m instanceof AppendRequest || m instanceof Heartbeat || m instanceof DelegateSnapshot) {
            log.error("{}: another leader {} claims term {}: this must never happen", core.id, m.from(), m.term());
        }
    }

    private void handleAppendResponse(RaftCore core, AppendResponse r) {
        Progress pr = core.tracker.get(r.from());
        if (pr == null) {
            return;
        }
        pr.markActive(true);
        if (!r.success()) {
            if (r.rejectedPrevIndex() == 0 && r.conflictIndex() == 0) {
                return; // an answer to a stale-term message, only there to carry the term
            }
            if (pr.maybeDecreaseTo(r.rejectedPrevIndex(), hintedNext(core, r))) {
                log.debug("{}: {} rejected append at {}, now {}", core.id, r.from(), r.rejectedPrevIndex(), pr);
            }
            return;
        }
        if (pr.maybeUpdate(r.matchIndex())) {
            if (r.from().equals(transfer.transferee())) {
                transfer.caughtUp(core);
            }
            switch (pr.state()) {
                case PROBE -> pr.becomeReplicate();
                case SNAPSHOT -> {
                    if (pr.match() + 1 >= core.raftLog.firstIndex()) {
                        pr.becomeProbe();
                        pr.becomeReplicate();
                    }
                }
                case REPLICATE -> pr.inflights().freeLE(pr.match());
            }
            maybeCommit(core);
        }
    }

    /** Where the follower's conflict hint says the logs may match (thesis section 5.3, fast backtracking). */
    private static long hintedNext(RaftCore core, AppendResponse r) {
        if (r.conflictTerm() == 0) {
            return r.conflictIndex();
        }
        long idx = core.raftLog.lastIndexWithTermAtMost(r.conflictTerm(), r.rejectedPrevIndex());
        if (idx >= 0 && core.raftLog.term(idx) == r.conflictTerm()) {
            return idx + 1;
        }
        return r.conflictIndex();
    }

    @Override
    public void propose(RaftCore core, long requestId, EntryType type, byte[] command) {
        if (transfer.underWay()) {
            core.outbox.reject(requestId, RequestRejected.Reason.TRANSFERRING,
                    "leadership is being handed to " + transfer.transferee());
            return;
        }
        if (!roomFor(core, command.length + Entry.OVERHEAD_BYTES)) {
            core.outbox.reject(requestId, RequestRejected.Reason.UNCOMMITTED_FULL, "leader " + core.id + " holds "
                    + uncommitted.bytes() + " bytes of uncommitted entries, the limit (RaftConfig.maxUncommittedBytes)"
                    + " is " + core.config.maxUncommittedBytes() + ": its followers do not keep up");
            return;
        }
        long index = core.raftLog.lastIndex() + 1;
        append(core, new Entry(core.term, index, type, command));
        core.outbox.accepted.add(new ProposalAccepted(requestId, index, core.term));
    }

    @Override
    public void read(RaftCore core, long requestId, boolean lease) {
        if (lease && core.config.checkQuorum() && committedInTerm && !leaseForfeited
                && reads.leaseValid(core.ticks, core.config.leaseTicks())) {
            core.outbox.readStates.add(new ReadState(requestId, core.raftLog.committed(),
                    reads.leaseExpiry(core.config.leaseTicks())));
            return;
        }
        reads.add(null, requestId, core.raftLog.committed(), committedInTerm);
    }

    /** See {@link RaftCore#changeGroup}: a caller's change on the leader itself. */
    @Override
    public void changeGroup(RaftCore core, long requestId, GroupChange change) {
        report(core, requestId, decide(core, change));
    }

    /** See {@link RaftCore#proposeConfiguration}. */
    void proposeConfiguration(RaftCore core, long requestId, Configuration target) {
        report(core, requestId, ConfigurationChanges.propose(core, target, committedInTerm, transfer.transferee()));
    }

    private ConfigurationChanges.Decision decide(RaftCore core, GroupChange change) {
        boolean transferring = transfer.underWay();
        ConfigurationChanges.Decision d = ConfigurationChanges.decide(core, change, committedInTerm, transfer);
        if (!transferring && transfer.underWay()) {
            // The target's campaign is granted past the leases followers gave this leader: from now on its
            // lease means nothing, for the rest of its term.
            leaseForfeited = core.rules.transferEndsLease();
            nudged.add(transfer.transferee());
        }
        return d;
    }

    private static void report(RaftCore core, long requestId, ConfigurationChanges.Decision d) {
        if (!d.accepted()) {
            core.outbox.reject(requestId, d.reason(), d.detail());
        } else if (d.index() > 0) {
            core.outbox.accepted.add(new ProposalAccepted(requestId, d.index(), core.term));
        }
    }

    String transferee() {
        return transfer.transferee();
    }

    String transferGivenUp() {
        return transfer.givenUp();
    }

    /** See {@link RaftCore#peerUnreachable}. */
    void peerUnreachable(RaftCore core, String peer) {
        transfer.unreachable(core, peer);
    }

    /** Storage made more of the leader's log durable: the leader's own acknowledgement. */
    void selfPersisted(RaftCore core) {
        Progress self = core.tracker.get(core.id);
        if (self != null) {
            self.selfMatch(core.raftLog.persistedIndex());
            maybeCommit(core);
        }
    }

    /**
     * Probe again either way. On success too: the follower's acknowledgement of the installed snapshot
     * is an ordinary message that can be lost, and a record left in SNAPSHOT never sends again. The
     * probe starts after the snapshot, so a follower that installed it simply confirms.
     */
    void snapshotSent(RaftCore core, String peer, boolean success) {
        Progress pr = core.tracker.get(peer);
        if (pr != null && pr.state() == ProgressState.SNAPSHOT) {
            pr.becomeProbe();
        }
    }

    /** Appends a proposal's entry, counting it against the uncommitted budget. */
    private void append(RaftCore core, Entry e) {
        core.raftLog.appendOne(e);
        uncommitted.appended(e.index(), e.sizeBytes());
    }

    /** Whether {@code bytes} more fit the uncommitted budget (anything fits when nothing is uncommitted). */
    private boolean roomFor(RaftCore core, long bytes) {
        long now = uncommitted.bytes();
        return now == 0 || now + bytes <= core.config.maxUncommittedBytes();
    }

    /** Bytes appended in this term and not yet committed. */
    long uncommittedBytes() {
        return uncommitted == null ? 0 : uncommitted.bytes();
    }

    private void maybeCommit(RaftCore core) {
        long index = core.tracker.committedIndex();
        if (index > core.raftLog.committed() && core.rules.mayCommit(core.raftLog.term(index), core.term)) {
            core.raftLog.commitTo(index);
            uncommitted.committed(index);
            commitAdvanced = true;
            if (!committedInTerm) {
                committedInTerm = true;
                reads.firstCommitInTerm(index);
            }
        }
    }

    private void broadcastHeartbeat(RaftCore core) {
        heartbeatElapsed = 0;
        heartbeatDue = false;
        long round = reads.startRound(core.ticks);
        for (Map.Entry<String, Progress> e : core.tracker.all().entrySet()) {
            if (!e.getKey().equals(core.id)) {
                long commit = Math.min(e.getValue().match(), core.raftLog.committed());
                core.send(new Heartbeat(core.id, e.getKey(), core.term, commit, round));
                e.getValue().sentCommit(commit);
            }
        }
        release(core, reads.echo(core.id, round, core.tracker.configuration(), core.id));
    }

    private static void release(RaftCore core, List<ReadIndexTracker.PendingRead> released) {
        for (ReadIndexTracker.PendingRead r : released) {
            if (r.origin() == null) {
                core.outbox.readStates.add(new ReadState(r.requestId(), r.index()));
            } else {
                core.send(new ReadIndexResponse(core.id, r.origin(), core.term, r.requestId(), r.index(), true));
            }
        }
    }

    @Override
    public void flush(RaftCore core) {
        if (reads.roundWanted() || heartbeatDue) {
            broadcastHeartbeat(core);
        }
        long last = core.raftLog.lastIndex();
        for (Map.Entry<String, Progress> e : core.tracker.all().entrySet()) {
            String peer = e.getKey();
            if (peer.equals(core.id)) {
                continue;
            }
            Progress pr = e.getValue();
            boolean nudge = nudged.contains(peer);
            while (!pr.isPaused()) {
                if (pr.next() > last) {
                    if (nudge || commitAdvanced && pr.state() != ProgressState.REPLICATE) {
                        sendAppend(core, peer, pr); // an empty append: a probe the answer to which is wanted
                    } else if (pr.state() == ProgressState.REPLICATE) {
                        maybeSendCommitNotice(core, peer, pr);
                    }
                    break;
                }
                if (!sendAppend(core, peer, pr)) {
                    break;
                }
            }
        }
        commitAdvanced = false;
        nudged.clear();
    }

    /**
     * Tells a follower with nothing left to send it how far the entries it holds are committed, when it
     * has not been told yet, so that it applies them now rather than with the next append or heartbeat
     * (a write made through it waits for that). It goes as a heartbeat outside any read round
     * ({@link Heartbeat#commitNotice()}), which the follower does not answer. An empty append would do,
     * but costs an answer: two more messages and two more wake-ups of the leader's loop for every commit
     * a lone client makes. Like every heartbeat it only names an index the follower is known to hold
     * (its match), which is what makes committing it safe there; a follower whose acknowledgement comes
     * after the commit gets its notice when that acknowledgement arrives.
     */
    private static void maybeSendCommitNotice(RaftCore core, String peer, Progress pr) {
        long commit = Math.min(pr.match(), core.raftLog.committed());
        if (commit > pr.commitSent()) {
            core.send(new Heartbeat(core.id, peer, core.term, commit, Heartbeat.NO_READ_ROUND));
            pr.sentCommit(commit);
        }
    }

    /** Sends one append from {@code pr.next()}; false when the entries are compacted (snapshot needed). */
    private boolean sendAppend(RaftCore core, String peer, Progress pr) {
        RaftLog raftLog = core.raftLog;
        long prev = pr.next() - 1;
        long prevTerm = raftLog.term(prev);
        List<Entry> entries = raftLog.entries(pr.next(), raftLog.lastIndex() + 1, core.config.maxAppendBytes());
        if (prevTerm < 0 || entries == null) {
            pr.becomeSnapshot(raftLog.firstIndex() - 1);
            log.info("{}: {} needs a snapshot (next {} is compacted)", core.id, peer, prev + 1);
            delegations.need(core, peer, raftLog.firstIndex() - 1);
            return false;
        }
        long bytes = 0;
        for (Entry e : entries) {
            bytes += e.sizeBytes();
        }
        core.send(new AppendRequest(core.id, peer, core.term, prev, prevTerm, entries, core.raftLog.committed()));
        pr.sentAppend(prev + entries.size(), entries.size(), bytes);
        pr.sentCommit(Math.min(core.raftLog.committed(), prev + entries.size()));
        return true;
    }

    @Override
    public void leave(RaftCore core) {
        for (ReadIndexTracker.PendingRead r : reads.drain()) {
            if (r.origin() == null) {
                core.outbox.reject(r.requestId(), RequestRejected.Reason.LEADER_CHANGED);
            } else {
                core.send(new ReadIndexResponse(core.id, r.origin(), core.term, r.requestId(), 0, false));
            }
        }
    }
}
