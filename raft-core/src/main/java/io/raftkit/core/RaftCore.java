package io.raftkit.core;

import io.raftkit.core.message.AppendRequest;
import io.raftkit.core.message.AppendResponse;
import io.raftkit.core.message.DelegateSnapshot;
import io.raftkit.core.message.DelegateSnapshotResponse;
import io.raftkit.core.message.Heartbeat;
import io.raftkit.core.message.InstallSnapshot;
import io.raftkit.core.message.Message;
import io.raftkit.core.message.VoteRequest;
import io.raftkit.core.message.VoteResponse;
import io.raftkit.core.tracker.Progress;
import io.raftkit.core.tracker.ProgressTracker;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Raft algorithm as a deterministic state machine: no threads, no clock, no I/O. The driver feeds
 * it ticks ({@link #tick}), inbound messages ({@link #step}), client requests ({@link #propose},
 * {@link #read}) and storage acknowledgements ({@link #persisted}), and acts on the {@link Ready}s it
 * hands out. Same inputs (and seed), same outputs.
 *
 * <p>Not thread-safe: one thread drives a core.
 */
public final class RaftCore {

    private static final Logger log = LoggerFactory.getLogger(RaftCore.class);

    final String id;
    final RaftConfig config;
    final RaftLog raftLog;
    final ProgressTracker tracker;
    final ElectionTimer timer;
    final Outbox outbox = new Outbox();
    private final SplittableRandom random;
    /** Raft's rules, unless a test put wrong ones in to prove the simulator catches them (see {@link SafetyRules}). */
    SafetyRules rules = SafetyRules.RAFT;

    long term;
    String votedFor;
    String leader;
    Role role;
    /** Logical time: ticks since this core was created. */
    long ticks;
    /** When this node last heard from a leader: the start of the promise the lease rule keeps. */
    final LeaderContact leaderContact;
    /** See {@link #diskStalled(boolean)}. */
    private boolean diskStalled;
    /** The latest committed configuration index looked at for leaving this node out (ConfigurationChanges.sync). */
    long removalChecked;
    /** See {@link #peerUnreachable}. */
    final UnreachablePeers unreachable = new UnreachablePeers();
    private HardState lastHardState;
    /** See {@link #limitApplying}. */
    private long applyAllowance = Long.MAX_VALUE;
    private SnapshotMeta snapshotToInstall;

    /**
     * A core for node {@code id}, recovering term, vote, commit hint and log from {@code storage}.
     *
     * @param configuration the group's configuration when it starts (used unless the storage's snapshot
     *     or log holds a configuration: then the latest of those is in force); {@link Configuration#EMPTY}
     *     for a node that joins an existing group: it never campaigns, and waits for a leader to add it
     * @param seed drives every random choice (election timeouts), for reproducible runs
     */
    public RaftCore(String id, Configuration configuration, LogStorage storage, RaftConfig config, long seed) {
        this.id = Objects.requireNonNull(id, "id");
        this.config = Objects.requireNonNull(config, "config");
        this.random = new SplittableRandom(seed);
        this.timer = new ElectionTimer(config.electionTicks(), random);
        HardState hs = storage.hardState();
        this.term = hs.term();
        this.votedFor = hs.votedFor();
        this.leaderContact = new LeaderContact(hs.term() > 0);
        this.raftLog = new RaftLog(storage, hs.commit(), storage.snapshotMeta().index(),
                Objects.requireNonNull(configuration, "configuration"));
        Configuration effective = raftLog.configurations().latest();
        if (effective.voters().isEmpty() && raftLog.lastIndex() > 0) {
            throw new IllegalArgumentException("node " + id + ": its log holds entries but no configuration with a voter");
        }
        this.tracker = new ProgressTracker(effective);
        syncConfiguration();
        this.lastHardState = hardState();
        this.role = new FollowerRole(this);
    }

    // ---- inputs -------------------------------------------------------------------------------

    /** Advances logical time by one tick. */
    public void tick() {
        ticks++;
        role.tick(this);
    }

    /** Handles an inbound message addressed to this node. */
    public void step(Message m) {
        if (!m.to().equals(id) || m.from().equals(id)) {
            log.warn("{}: dropping misaddressed message {}", id, m);
            return;
        }
        unreachable.heardFrom(m.from());
        if (m instanceof VoteRequest v && role instanceof LeaderRole) {
            RemovalNotice.answer(this, v);
        }

        if (m.term() > term) {
            int[] timerBefore = m instanceof VoteRequest && role.kind() != RaftRole.LEADER ? timer.save() : null;
            String ignored = m instanceof VoteRequest v ? VoteRequests.whyIgnored(this, v) : null;
            if (ignored != null) {
                // Ignored, not refused: adopting the term would depose a leader for nothing.
                log.debug("{}: ignoring {} at term {}: {}", id, m, term, ignored);
                return;
            }
            boolean futureTermPreVote = (m instanceof VoteRequest v && v.preVote())
                    || (m instanceof VoteResponse r && r.preVote() && r.granted());
            if (!futureTermPreVote) {
                becomeFollower(m.term(), leaderOf(m));
                if (timerBefore != null) {
                    // Raft 5.2: only hearing from a leader or granting a vote restarts the election
                    // timer (VoteRequests.answer restarts it on a grant). Otherwise a candidate that can
                    // never win (stale log, fast clock) restarts everyone's timer with each election
                    // and the nodes that could win never time out.
                    timer.restore(timerBefore);
                }
            }
        } else if (m.term() < term) {
            StaleTermReplies.reply(id, term, m).ifPresent(this::send);
            return;
        }
        if (m instanceof VoteRequest v) {
            VoteRequests.answer(this, v);
        } else {
            role.step(this, m);
        }
        syncConfiguration();
    }

    /**
     * Proposes a command. On the leader it is appended at once ({@link Ready#acceptedProposals()}); on a
     * follower it is forwarded to the leader; with no leader it is rejected.
     */
    public void propose(long requestId, byte[] command) {
        propose(requestId, EntryType.COMMAND, command);
    }

    /**
     * Proposes an entry of {@code type}, {@link EntryType#COMMAND} or {@link EntryType#SESSION} (the
     * others are the core's own), as {@link #propose(long, byte[])} does a command.
     */
    public void propose(long requestId, EntryType type, byte[] command) {
        if (type != EntryType.COMMAND && type != EntryType.SESSION) {
            throw new IllegalArgumentException("only COMMAND and SESSION entries can be proposed, not " + type);
        }
        role.propose(this, requestId, type, Objects.requireNonNull(command, "command"));
    }

    /**
     * Proposes to change the group's configuration to {@code target}: its voters, learners and their
     * addresses (addresses not given are kept for members that stay). Only a leader takes it; it
     * appends the change at once ({@link Ready#acceptedProposals()}), and the configuration takes
     * effect as it is appended (on every node: the latest configuration a log holds is in force).
     *
     * <p>When at most one voter is added or removed (learners may change freely), the target is
     * appended as it is: any majority of the old voters and any of the new share a member. Any other
     * change goes through joint consensus: the leader appends C_old,new, under which elections and
     * commitment need a majority of both; once that commits it appends C_new by itself.
     *
     * <p>Refused ({@link Ready#rejectedRequests()}) with {@code CHANGE_IN_PROGRESS} while an earlier
     * change is not committed (or, in joint consensus, not left), or before this leader has committed an
     * entry of its own term; with {@code INVALID_CONFIGURATION} for a target without voters or a joint
     * one; with {@code NOT_LEADER}/{@code NO_LEADER} on other nodes.
     */
    public void proposeConfiguration(long requestId, Configuration target) {
        Objects.requireNonNull(target, "target");
        if (role instanceof LeaderRole leaderRole) {
            leaderRole.proposeConfiguration(this, requestId, target);
            syncConfiguration();
        } else {
            outbox.reject(requestId, leader == null ? RequestRejected.Reason.NO_LEADER : RequestRejected.Reason.NOT_LEADER);
        }
    }

    /**
     * Hands leadership to {@code target} (null: the voter whose log is most up to date of those heard from
     * since the last check-quorum round, or of all when none was). The leader stops
     * taking proposals (they are refused with {@code TRANSFERRING}, to be retried at the next leader),
     * brings the target's log up to date, and tells it to campaign at once ({@code TimeoutNow}); voters
     * grant that campaign even though they heard from this leader moments ago. If the target has not
     * taken over within an election timeout, the transfer is abandoned and proposals resume. Once a
     * leader has started a transfer it serves no lease reads for the rest of its term: votes granted to
     * the target do not honour the lease.
     *
     * <p>Refused ({@link Ready#rejectedRequests()}, {@code TRANSFERRING}) when the target is not a voter
     * (a learner, an unknown node) or another transfer is under way; {@code NOT_LEADER}/{@code NO_LEADER}
     * on other nodes. A transfer to the leader itself is done at once.
     */
    public void transferLeadership(long requestId, String target) {
        if (role instanceof LeaderRole leaderRole) {
            leaderRole.changeGroup(this, requestId, GroupChange.transferLeadership(target));
        } else {
            outbox.reject(requestId, leader == null ? RequestRejected.Reason.NO_LEADER : RequestRejected.Reason.NOT_LEADER);
        }
    }

    /**
     * A caller's change to the group, on any node: the leader decides it (a membership change becomes
     * the next configuration from the one in force, appended as {@link #proposeConfiguration} does: see
     * {@link Ready#acceptedProposals()}; a transfer starts as {@link #transferLeadership} does, and is not
     * reported when it starts); a follower forwards it to its leader and reports the leader's answer;
     * with no leader it is refused {@code NO_LEADER}. A refusal says why: {@code INVALID_CONFIGURATION}
     * (unknown node, already a member, an address in use, no voter left, a learner too far behind to
     * promote), {@code CHANGE_IN_PROGRESS}, {@code TRANSFERRING}; nothing changed. {@code LEADER_CHANGED}
     * leaves the outcome of a membership change unknown.
     */
    public void changeGroup(long requestId, GroupChange change) {
        role.changeGroup(this, requestId, Objects.requireNonNull(change, "change"));
        syncConfiguration();
    }

    /** The node leadership is being handed to, or null. */
    public String transferee() {
        return role instanceof LeaderRole leaderRole ? leaderRole.transferee() : null;
    }

    /**
     * Asks for a read index ({@link Ready#readStates()}). With {@code lease}, a leader whose lease is
     * valid answers without a heartbeat round; otherwise (and on followers) a ReadIndex round is used.
     */
    public void read(long requestId, boolean lease) {
        role.read(this, requestId, lease);
    }

    /** Starts an election now (as if the election timeout had passed). */
    public void campaign() {
        if (role.kind() != RaftRole.LEADER) {
            campaign(config.preVote());
        }
    }

    /** Storage reports every entry up to {@code index} (with {@code term} at {@code index}) durable. */
    public void persisted(long index, long term) {
        raftLog.stableTo(index, term);
        if (role instanceof LeaderRole leaderRole) {
            leaderRole.selfPersisted(this);
        }
        syncConfiguration();
    }

    /**
     * The transport lost its connection to {@code peer}, or could not open one: what this node sends it
     * is not getting through for now. Advice, and harmless when wrong: until this node hears from the
     * peer again, a leader does not pick it when asked to hand leadership to the best voter, refuses to
     * hand leadership to it by name, gives up a hand-over to it under way at once instead of after an
     * election timeout, and does not ask it to send another node a snapshot. Elections, commits and
     * reads go by messages alone, as before.
     */
    public void peerUnreachable(String peer) {
        if (peer.equals(id) || !unreachable.reported(peer)) {
            return;
        }
        log.debug("{}: the transport cannot reach {} now", id, peer);
        if (role instanceof LeaderRole leaderRole) {
            leaderRole.peerUnreachable(this, peer);
        }
    }

    /**
     * Why this leader's last hand-over of leadership in its term ended without the target taking over
     * (the target did not within an election timeout, or became unreachable); null when none did, or
     * when this node does not lead.
     */
    public String transferGivenUp() {
        return role instanceof LeaderRole leaderRole ? leaderRole.transferGivenUp() : null;
    }

    /**
     * The driver finished (or failed, or declined) sending a snapshot to {@code peer} in this term. On the
     * leader, either way it probes the follower's log again, from just after the snapshot. On a follower
     * that the leader asked to send one ({@link Ready#snapshotsToDonate()}), the leader is told.
     */
    public void snapshotSent(String peer, boolean success) {
        if (role instanceof LeaderRole leaderRole) {
            leaderRole.snapshotSent(this, peer, success);
        } else {
            tellLeader(peer, success ? DelegateSnapshotResponse.Outcome.SENT : DelegateSnapshotResponse.Outcome.NOT_SENT);
        }
    }

    /**
     * On a follower the leader asked to send {@code peer} a snapshot: the driver has the transfer under way
     * (it started it, or was sending already). The leader is told, so that it keeps waiting.
     */
    public void snapshotSending(String peer) {
        tellLeader(peer, DelegateSnapshotResponse.Outcome.SENDING);
    }

    private void tellLeader(String peer, DelegateSnapshotResponse.Outcome outcome) {
        if (role.kind() == RaftRole.FOLLOWER && leader != null) {
            send(new DelegateSnapshotResponse(id, leader, term, peer, outcome));
        }
    }

    /**
     * The driver received and stored a whole snapshot sent on behalf of {@code leader} (by it, or by a
     * follower it asked). The core adopts it when it is ahead of the log; the Ready then carries it in
     * {@link Ready#snapshotToInstall()}. Either way the leader is told how far this log now reaches.
     */
    public void installSnapshot(String leader, SnapshotMeta meta) {
        if (role.kind() != RaftRole.FOLLOWER) {
            return;
        }
        switch (rules.onSnapshot(raftLog, meta)) {
            case IGNORE -> { }
            case COMMIT -> raftLog.commitTo(meta.index());
            case INSTALL -> {
                log.info("{}: installing snapshot {}", id, meta);
                raftLog.restore(meta);
                snapshotToInstall = meta;
            }
        }
        outbox.send(AppendResponse.success(id, leader, term, raftLog.committed()));
        syncConfiguration();
    }

    // ---- outputs ------------------------------------------------------------------------------

    /** True when {@link #ready()} would return something to do. */
    public boolean hasReady() {
        role.flush(this);
        return !outbox.isEmpty() || !hardState().equals(lastHardState) || raftLog.hasEntriesToPersist()
                || raftLog.hasEntriesToApply() && applyAllowance > 0 || snapshotToInstall != null;
    }

    /** On a leader, bytes of entries it appended in its term and has not committed; 0 elsewhere. */
    public long uncommittedBytes() {
        return role instanceof LeaderRole l ? l.uncommittedBytes() : 0;
    }

    /**
     * Limits the committed entries the next Ready hands out for applying to about {@code maxBytes} (at
     * least one entry when positive; none at 0): the runtime's room for entries waiting to be applied, so
     * that a slow state machine leaves them in the log rather than in memory. Unlimited until called.
     */
    public void limitApplying(long maxBytes) {
        applyAllowance = maxBytes;
    }

    /** Hands over everything produced since the last call. */
    public Ready ready() {
        role.flush(this);
        HardState hs = hardState();
        boolean termOrVoteChanged = hs.termOrVoteDiffers(lastHardState);
        HardState changed = hs.equals(lastHardState) ? null : hs;
        lastHardState = hs;
        List<Entry> entries = raftLog.takeEntriesToPersist();
        List<Entry> toApply = applyAllowance > 0
                ? raftLog.takeEntriesToApply(Math.min(config.maxApplyBytes(), applyAllowance)) : List.of();
        Ready r = new Ready(changed, termOrVoteChanged || !entries.isEmpty(), entries, outbox.messages,
                outbox.afterPersist, toApply, outbox.readStates, outbox.accepted, outbox.rejected,
                outbox.snapshotsToSend, outbox.snapshotsToDonate, snapshotToInstall, role.kind(), leader, term);
        snapshotToInstall = null;
        outbox.clear();
        return r;
    }

    // ---- status -------------------------------------------------------------------------------

    public String id() {
        return id;
    }

    public RaftRole role() {
        return role.kind();
    }

    public long term() {
        return term;
    }

    /** Ticks delivered to this core so far: its clock, against which {@link ReadState#leaseExpiresAtTick()} is set. */
    public long ticks() {
        return ticks;
    }

    /** The leader this node knows of in its term, or null. */
    public String leader() {
        return leader;
    }

    public String votedFor() {
        return votedFor;
    }

    public long commitIndex() {
        return raftLog.committed();
    }

    /** The highest index handed out for applying. */
    public long appliedIndex() {
        return raftLog.applied();
    }

    public long firstIndex() {
        return raftLog.firstIndex();
    }

    public long lastIndex() {
        return raftLog.lastIndex();
    }

    /** Term at {@code index}, or -1 when unknown (compacted or beyond the end). */
    public long termAt(long index) {
        return raftLog.term(index);
    }

    /** Entries {@code [from, to)} as the core sees them (unstable included), or null if compacted. */
    public List<Entry> entries(long from, long to) {
        return raftLog.entries(from, to, Long.MAX_VALUE);
    }

    /** The configuration in force: the latest one this node's log holds, committed or not. */
    public Configuration configuration() {
        return raftLog.configurations().latest();
    }

    /**
     * Every node this one may have to reach, by id to address where the configuration gives one: the
     * members of the configuration in force and, while its change is not committed, those of the one
     * before (members a change drops get the log until it commits, and a truncation may bring the earlier
     * configuration back). What the runtime hands to {@link Transport#updateMembers}.
     */
    public Map<String, String> peerAddresses() {
        ConfigurationHistory history = raftLog.configurations();
        Map<String, String> reach = new TreeMap<>();
        if (history.latestIndex() > raftLog.committed()) {
            addressesOfMembers(history.at(history.latestIndex() - 1), reach);
        }
        addressesOfMembers(history.latest(), reach);
        return reach;
    }

    private static void addressesOfMembers(Configuration c, Map<String, String> into) {
        for (String m : c.members()) {
            String address = c.addresses().get(m);
            if (address != null) {
                into.put(m, address);
            }
        }
    }

    /** The configuration in force at {@code index}: the latest one the log holds at or before it. */
    public Configuration configurationAt(long index) {
        return raftLog.configurations().at(index);
    }

    /** The index of the entry that carries {@link #configuration()} (its snapshot's index, or 0, if none). */
    public long configurationIndex() {
        return raftLog.configurations().latestIndex();
    }

    /**
     * On the leader: the highest index {@code peer} (a voter or a learner) is known to hold; its lag is
     * {@link #lastIndex()} minus this. -1 when this node is not the leader or does not replicate to it.
     */
    public long matchIndex(String peer) {
        Progress p = role.kind() == RaftRole.LEADER ? tracker.get(peer) : null;
        return p == null ? -1 : p.match();
    }

    /**
     * On the leader: the bytes of append messages sent to {@code peer} and not yet acknowledged (its window,
     * bounded by {@code RaftConfig.maxInflightBytes} plus one message); -1 when this node is not the leader
     * or does not replicate to it.
     */
    public long inflightBytes(String peer) {
        Progress p = role.kind() == RaftRole.LEADER ? tracker.get(peer) : null;
        return p == null ? -1 : p.inflights().bytes();
    }

    /** The leader's replication record for {@code peer} as text, or null when not leader. For tests and status. */
    public String progressOf(String peer) {
        Progress p = role.kind() == RaftRole.LEADER ? tracker.get(peer) : null;
        return p == null ? null : p.toString();
    }

    // ---- transitions (package-private: roles call them) ---------------------------------------

    HardState hardState() {
        return new HardState(term, votedFor, raftLog.committed());
    }

    void becomeFollower(long newTerm, String newLeader) {
        role.leave(this);
        if (newTerm != term) {
            term = newTerm;
            votedFor = null;
        }
        leader = newLeader;
        role = new FollowerRole(this);
        timer.reset();
        logTransition();
    }

    /**
     * The runtime's verdict on this node's disk: a log or vote write has been outstanding for longer than
     * it allows. While stalled, a leader or candidate steps down and this node stands for no election
     * (a node that can make nothing durable can commit nothing; a healthy majority elsewhere can). It
     * still follows a leader and forwards requests; the votes and acknowledgements it owes wait for its
     * disk anyway (persistence before promises). Cleared when the disk answers again.
     */
    public void diskStalled(boolean stalled) {
        if (stalled == diskStalled) {
            return;
        }
        diskStalled = stalled;
        if (!stalled) {
            log.info("{}: its disk answers again; it may stand for election", id);
            return;
        }
        log.warn("{}: its disk has stalled; it {} and stands for no election until the disk answers", id,
                role.kind() == RaftRole.FOLLOWER ? "stays a follower" : "steps down");
        if (role.kind() != RaftRole.FOLLOWER) {
            becomeFollower(term, null);
        }
    }

    /** Whether the runtime last reported this node's disk stalled. */
    public boolean diskStalled() {
        return diskStalled;
    }

    void campaign(boolean preVote) {
        campaign(preVote, false);
    }

    /** The leader handed leadership to this node: campaign at once, past pre-vote and leases. */
    void campaignForTransfer() {
        log.info("{}: the leader {} hands leadership over at term {}", id, leader, term);
        campaign(false, true);
    }

    private void campaign(boolean preVote, boolean transfer) {
        if (diskStalled || !ConfigurationChanges.mayCampaign(this)) {
            return;
        }
        role.leave(this);
        leader = null;
        long voteTerm;
        if (preVote) {
            role = new CandidateRole(true);
            voteTerm = term + 1;
        } else {
            role = new CandidateRole(false);
            term++;
            // A node standing only to finish a change that removes it (ConfigurationChanges.mayCampaign)
            // is no voter of the configuration it counts votes in: its own vote counts for nothing there.
            // Kept for itself, it was denied, term after term, to the leader of a later configuration
            // that needs it and that it has not heard of yet (seed 521678, pre-vote off: the removed node
            // reached each new term first and the group took 380 ticks to elect). Not kept, the node can
            // vote once in this term for a candidate that counts it (VoteRequests.answer).
            votedFor = tracker.configuration().isVoter(id) ? id : null;
            voteTerm = term;
        }
        timer.reset();
        tracker.resetVotes();
        logTransition();
        tracker.recordVote(id, true);
        if (role instanceof CandidateRole c && c.tally(this)) {
            return;
        }
        for (String v : tracker.configuration().voterList()) {
            if (!v.equals(id)) {
                send(new VoteRequest(id, v, voteTerm, raftLog.lastIndex(), raftLog.lastTerm(), preVote, transfer));
            }
        }
    }

    void becomeLeader() {
        role.leave(this);
        leader = id;
        LeaderRole leaderRole = new LeaderRole(this);
        role = leaderRole;
        timer.reset();
        logTransition();
        leaderRole.start(this);
    }

    void send(Message m) {
        if (role instanceof LeaderRole leaderRole && !leaderRole.termDurable(this)) {
            outbox.afterPersist.add(m);
        } else {
            outbox.send(m);
        }
    }

    /** See {@link ConfigurationChanges#sync}. Called after every input that can append, truncate or commit. */
    void syncConfiguration() {
        ConfigurationChanges.sync(this);
    }

    long randomLong() {
        return random.nextLong();
    }

    RaftLog raftLog() {
        return raftLog;
    }

    // ---- shared handling ----------------------------------------------------------------------

    /** A leader's append, heartbeat or snapshot chunk of this node's term arrived: see {@link LeaderContact}. */
    void heardFromLeader(String from) {
        leaderContact.heard(ticks);
        leader = from;
        timer.restartCount();
    }

    /** Test-only: acts as if an election timeout had passed since this node last heard from a leader. */
    void forgetLeaderContact() {
        leaderContact.forget();
    }

    /**
     * The leader of the message's term that the message shows, or null: the sender of a leader's message,
     * or, for a snapshot chunk a donor sends, the leader it sends for.
     */
    static String leaderOf(Message m) {
        if (m instanceof InstallSnapshot s) {
            return s.leader();
        }
        return m instanceof AppendRequest || m instanceof Heartbeat || m instanceof DelegateSnapshot ? m.from() : null;
    }

    private void logTransition() {
        log.info("{}: became {} at term {}{}", id, role.kind(), term, leader != null ? " (leader " + leader + ")" : "");
    }
}
