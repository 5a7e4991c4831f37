package io.raftkit.node;

import io.raftkit.core.Configuration;
import io.raftkit.core.Entry;
import io.raftkit.core.EntryType;
import io.raftkit.core.GroupChange;
import io.raftkit.core.HardState;
import io.raftkit.core.LogStorage;
import io.raftkit.core.ProposalAccepted;
import io.raftkit.core.RaftCore;
import io.raftkit.core.RaftRole;
import io.raftkit.core.ReadState;
import io.raftkit.core.Ready;
import io.raftkit.core.RequestRejected;
import io.raftkit.core.SnapshotMeta;
import io.raftkit.core.SnapshotStore;
import io.raftkit.core.Transport;
import io.raftkit.core.message.AppendRequest;
import io.raftkit.core.message.AppendResponse;
import io.raftkit.core.message.DelegateSnapshot;
import io.raftkit.core.message.InstallSnapshot;
import io.raftkit.core.message.InstallSnapshotResponse;
import io.raftkit.core.message.Message;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Drives one node's {@link RaftCore}: the single-threaded, deterministic heart of the runtime, the same
 * class in production ({@link RaftLoop} runs it on the event-loop thread) and in the simulator (which
 * runs it on simulated time, disks and networks). It
 * <ul>
 *   <li>keeps the core's sense of time current: before any message, write or read it delivers every tick
 *       that fell due on the {@link Clock} ({@link #catchUp});</li>
 *   <li>carries out each {@link Ready}, in the order its Javadoc gives: storage writes, messages,
 *       messages held until the writes are durable ({@link PersistenceBarrier}), committed entries and
 *       completed requests to the {@link Applier};</li>
 *   <li>holds the {@link PendingRequests}: ids, deadlines, retries (how those the applier does not answer
 *       end: {@link RequestOutcomes});</li>
 *   <li>routes snapshot transfers: the leader's {@link SnapshotSender} and the follower's
 *       {@link SnapshotReceiver} run on {@code snapshotIo}, never on the driver's thread (they read and
 *       write files); their results come back through {@code self}.</li>
 * </ul>
 *
 * <p>Not thread-safe: every method runs on the driver's thread, the one {@code self} executes on.
 */
final class NodeDriver {

    /**
     * At most this many election timeouts' worth of ticks are delivered at once after a stall.
     * Everything the core times has run out well before: a lease (under one), a follower's election
     * timeout (under two), a leader's check-quorum (it checks twice and steps down, having handled no
     * message in between), a snapshot transfer's idle timeout (two). More would change nothing but cost.
     */
    private static final int MAX_CATCH_UP_ELECTIONS = 4;

    private final RaftCore core;
    /** Committed entries handed to the applier and not yet applied (NodeOptions.maxApplyQueueBytes). */
    private final ByteBudget applyQueue;
    private final LogStorage storage;
    private final Transport transport;
    private final long diskStallNanos;
    private volatile boolean diskStalled;
    /** Where the time from handing entries to storage to their being durable goes; null: not measured. */
    private volatile LatencyHistogram persistLatency;
    /** Where sampled writes' time goes, stage by stage; null: not traced (the simulator). */
    private volatile StageTracer stages;
    // What the transport was last told to reach (reachPeers).
    private Configuration reachedConfiguration;
    private boolean reachedWhilePending;
    private Map<String, String> reachedAddresses;
    private final Consumer<ApplyTask> apply;
    private final NodeOptions options;
    private final Clock clock;
    private final SnapshotSender snapshotSender;
    private final SnapshotReceiver snapshotReceiver;
    private final Executor snapshotIo;
    private final Executor self;
    private final Consumer<Throwable> failed;
    private final Consumer<Ready> observer;
    private final PersistenceBarrier barrier;
    private final PendingRequests requests = new PendingRequests();
    private final RequestOutcomes outcomes;
    private final long tickNanos;
    private final long timeoutNanos;
    private final long maxCatchUpTicks;
    private long nextTick;
    private HardState lastSavedHardState;
    private String lastLeader;
    private boolean leading;
    private long lastTerm = -1;
    /** Snapshots this node sent whole, as leader or donor; any thread (metrics). */
    final LongAdder snapshotsSent = new LongAdder();

    /**
     * @param apply hands a task to the applier (in order)
     * @param snapshotIo runs snapshot file reads and writes, in order, off this thread
     * @param self runs a task on this driver's thread, after what is running now
     * @param wake called (on any thread) when storage made writes durable and {@link #runDuties} has work
     * @param failed told when storage fails: the node must stop
     * @param observer shown each Ready before it is carried out (status)
     */
    NodeDriver(RaftCore core, LogStorage storage, Transport transport, SnapshotStore snapshots,
               SnapshotReceiver snapshotReceiver, Consumer<ApplyTask> apply, NodeOptions options, Clock clock,
               Executor snapshotIo, Executor self, Runnable wake, Consumer<Throwable> failed,
               Consumer<Ready> observer, ByteBudget applyQueue) {
        this.applyQueue = applyQueue;
        this.core = core;
        this.storage = storage;
        this.transport = transport;
        this.apply = apply;
        this.options = options;
        this.clock = clock;
        this.snapshotReceiver = snapshotReceiver;
        this.snapshotIo = snapshotIo;
        this.self = self;
        this.failed = failed;
        this.observer = observer;
        this.snapshotSender = new SnapshotSender(core.id(), snapshots, options.snapshotChunkBytes(),
                2 * options.raft().electionTicks(), transport::send,
                new SnapshotReports(core, self, snapshotsSent));
        this.barrier = new PersistenceBarrier(transport, failed, wake);
        this.outcomes = new RequestOutcomes(core, requests, options, apply);
        this.tickNanos = options.tickInterval().toNanos();
        this.diskStallNanos = options.diskStallTimeout().toNanos();
        this.timeoutNanos = options.requestTimeout().toNanos();
        this.maxCatchUpTicks = (long) MAX_CATCH_UP_ELECTIONS * options.raft().electionTicks();
        this.lastSavedHardState = storage.hardState();
        this.nextTick = clock.nanoTime() + tickNanos;
        reachPeers();
    }

    RaftCore core() {
        return core;
    }

    void measurePersistence(LatencyHistogram histogram) {
        persistLatency = histogram;
    }

    /** Stamps sampled writes' stages into {@code tracer} from now on. */
    void traceStages(StageTracer tracer) {
        stages = tracer;
    }

    /** A storage write made before this driver existed (recovery's): later messages wait for it too. */
    void track(CompletableFuture<Void> write) {
        if (write != null) {
            barrier.track(write, clock.nanoTime());
        }
    }

    /**
     * Tells the transport whom to reach when the configuration in force, or whether its change has
     * committed, is not what it was told last: before the messages that need a new member's address.
     */
    private void reachPeers() {
        Configuration c = core.configuration();
        boolean pending = core.configurationIndex() > core.commitIndex();
        if (c == reachedConfiguration && pending == reachedWhilePending) {
            return;
        }
        reachedConfiguration = c;
        reachedWhilePending = pending;
        Map<String, String> addresses = core.peerAddresses();
        if (!addresses.equals(reachedAddresses)) {
            reachedAddresses = addresses;
            transport.updateMembers(addresses);
        }
    }

    // ---- inputs -------------------------------------------------------------------------------------

    /** The transport cannot reach {@code peer} now (see {@link RaftCore#peerUnreachable}). */
    void peerUnreachable(String peer) {
        catchUp();
        core.peerUnreachable(peer);
        outcomes.settleTransfers(core.leader()); // a transfer to it may have ended: say so now
    }

    /** A message from a peer. */
    void receive(Message m) {
        catchUp();
        if (m instanceof InstallSnapshotResponse r) {
            if (r.term() == core.term()) {
                // To this node's transfer as leader, or as a donor the leader asked.
                snapshotIo.execute(() -> snapshotSender.onResponse(r));
            } else {
                core.step(m);
            }
            return;
        }
        StageTracer tracer = stages;
        if (tracer != null && m instanceof AppendRequest a && !a.entries().isEmpty()
                && core.role() == RaftRole.FOLLOWER && a.term() >= core.term()) {
            tracer.received(a.prevLogIndex() + 1, a.lastIndex());
        } else if (tracer != null && m instanceof AppendResponse r && r.success() && r.term() == core.term()
                && core.role() == RaftRole.LEADER) {
            tracer.acknowledged(r.matchIndex());
        }
        core.step(m);
        if (m instanceof InstallSnapshot s && s.term() == core.term() && core.role() == RaftRole.FOLLOWER) {
            snapshotIo.execute(() -> {
                InstallSnapshotResponse answer = snapshotReceiver.receive(s);
                SnapshotMeta done = snapshotReceiver.completed();
                self.execute(() -> snapshotChunkStored(s, answer, done));
            });
        }
    }

    /** A chunk of a snapshot was written (and, with {@code done}, the whole snapshot made durable). */
    private void snapshotChunkStored(InstallSnapshot chunk, InstallSnapshotResponse answer, SnapshotMeta done) {
        catchUp();
        // Time passed while the chunk was written: if this node moved on, the transfer is moot (the
        // leader's side times out), and the core must not adopt a snapshot its term no longer backs.
        if (core.term() != chunk.term() || core.role() != RaftRole.FOLLOWER) {
            return;
        }
        transport.send(answer);
        if (done != null) {
            core.installSnapshot(chunk.leader(), done);
        }
    }

    /**
     * A write ({@code write}) or read from a client, who called at {@code submittedNanos} on the node's
     * clock; {@code future} completes with its answer.
     */
    void submit(boolean write, byte[] payload, boolean lease, CompletableFuture<byte[]> future, long submittedNanos) {
        catchUp();
        PendingRequest r = requests.add(write, payload, lease, future, clock.nanoTime() + timeoutNanos, null);
        r.submittedNanos = submittedNanos;
        issue(r);
    }

    /** A write of a client-session record ({@link SessionRecord}); {@code future} completes with its outcome. */
    void submitSessionRecord(byte[] record, CompletableFuture<byte[]> future) {
        catchUp();
        PendingRequest r = requests.add(true, record, false, future, clock.nanoTime() + timeoutNanos, null);
        r.sessionRecord = true;
        issue(r);
    }

    /**
     * A change to the group. {@code future} completes, for a membership change, with the encoding of the
     * configuration once the change is applied here (and a joint change left); for a leadership
     * transfer, with the new leader's id once this node knows of it.
     */
    void submitChange(GroupChange change, CompletableFuture<byte[]> future) {
        catchUp();
        PendingRequest r = requests.add(change.changesMembership(), new byte[0], false, future,
                clock.nanoTime() + timeoutNanos, change);
        if (!change.changesMembership()) {
            r.leaderBefore = core.leader();
            if (change.member() != null && change.member().equals(core.leader())) {
                requests.remove(r);
                outcomes.ledBy(r, change.member());
                return; // it leads already
            }
            outcomes.watchTransfer(r);
        }
        issue(r);
        if (!change.changesMembership() && core.role() == RaftRole.LEADER) {
            r.transferStarted = core.transferee() != null;
        }
    }

    /** A snapshot the applier took is durable: the log may drop what it covers. */
    void compactTo(SnapshotMeta meta) {
        if (meta.index() > storage.snapshotMeta().index() && meta.index() <= storage.lastIndex()) {
            barrier.track(storage.compact(meta), clock.nanoTime());
        }
    }

    /**
     * Does everything due: reports durable writes to the core, delivers due ticks, and carries out
     * every Ready. Call after any input, and when {@link #nanosToNextTick} has passed.
     */
    void runDuties() {
        Entry e;
        while ((e = barrier.pollPersisted()) != null) {
            core.persisted(e.index(), e.term());
        }
        catchUp();
        core.limitApplying(applyQueue.free());
        while (core.hasReady()) {
            handle(core.ready());
            core.limitApplying(applyQueue.free());
        }
    }

    /** True when storage made writes durable that {@link #runDuties} has not reported yet. */
    boolean hasDurableWrites() {
        return barrier.hasPersisted();
    }

    /** Nanoseconds of the {@link Clock} until the next tick falls due (0 when one is due). */
    long nanosToNextTick() {
        return Math.max(0, nextTick - clock.nanoTime());
    }

    /** The node is stopping: every request the core still holds fails with {@code reason}. */
    void failPending(RaftException reason) {
        for (PendingRequest r : requests.drain()) {
            outcomes.fail(r, r.write && r.reachedLeader ? new NodeClosedException(reason.getMessage(), true) : reason);
        }
    }

    // ---- time ---------------------------------------------------------------------------------------

    /**
     * Delivers every tick that fell due since the last call, so that the core never handles a message,
     * a write or a read with a stale sense of time: after a stall of this thread (a GC pause, a stopped
     * process), the ticks of the stall come first. Without this a leader resuming from a stall served
     * lease reads from a lease counted in ticks that had not been delivered (LeaseAfterStallTest).
     */
    private void catchUp() {
        long now = clock.nanoTime();
        if (now - nextTick < 0) {
            return;
        }
        long due = (now - nextTick) / tickNanos + 1;
        if (due > 2) {
            FlightEvents.LoopStall stall = new FlightEvents.LoopStall();
            if (stall.shouldCommit()) {
                stall.node = core.id();
                stall.missedTicks = due - 1;
                stall.stalledNanos = now - nextTick + tickNanos;
                stall.commit();
            }
        }
        nextTick += due * tickNanos;
        long deliver = Math.min(due, maxCatchUpTicks);
        checkDisk(now);
        for (long i = 0; i < deliver; i++) {
            core.tick();
        }
        if (snapshotSender.transfersUnderWay() > 0) { // as leader, or as a donor the leader asked
            snapshotIo.execute(() -> snapshotSender.tick(deliver));
        }
        for (PendingRequest r : requests.takeRetries()) {
            issue(r);
        }
        for (PendingRequest r : requests.expire(now)) {
            outcomes.timedOut(r);
        }
    }

    /**
     * Tells the core whether its disk has stalled: a write outstanding for longer than
     * {@link NodeOptions#diskStallTimeout()} (never, when that is zero). Checked once per tick.
     */
    private void checkDisk(long now) {
        long timeout = diskStallNanos;
        if (timeout <= 0) {
            return;
        }
        boolean stalled = barrier.oldestPendingNanos(now) > timeout;
        if (stalled != core.diskStalled()) {
            core.diskStalled(stalled);
            diskStalled = stalled;
        }
    }

    /** Snapshot transfers this node is sending now; any thread (status). */
    int snapshotTransfers() {
        return snapshotSender.transfersUnderWay();
    }

    /** Whether the disk was stalled at the last check; any thread (status, fast failures). */
    boolean diskStalled() {
        return diskStalled;
    }

    /**
     * True when a read the core cleared by its lease still holds now: the core checked it against the
     * ticks delivered before the read, and this thread may have stalled since (between that delivery and
     * the check); catching up again and comparing proves the lease held at some moment after the check.
     */
    private boolean leaseStillHolds(ReadState s) {
        catchUp();
        return core.ticks() < s.leaseExpiresAtTick();
    }

    // ---- requests -----------------------------------------------------------------------------------

    private void issue(PendingRequest r) {
        if (core.leader() != null) {
            r.reachedLeader = true;
        }
        if (r.change != null) {
            core.changeGroup(r.id, r.change);
        } else if (r.write) {
            core.propose(r.id, r.sessionRecord ? EntryType.SESSION : EntryType.COMMAND, r.payload);
        } else {
            core.read(r.id, r.lease);
        }
    }

    // ---- carrying out a Ready -----------------------------------------------------------------------

    private void handle(Ready r) {
        StageTracer tracer = stages;
        if (tracer != null) {
            // Before the log write is handed to storage, whose thread may report it durable at once.
            for (ProposalAccepted a : r.acceptedProposals()) {
                if (tracer.traces(a.index())) {
                    PendingRequest p = requests.inCore(a.requestId());
                    if (p != null && p.submittedNanos != 0) {
                        tracer.accepted(a.index(), p.submittedNanos);
                    }
                }
            }
        }
        observer.accept(r); // status first: nothing handed on below may be seen before it
        boolean leads = r.role() == RaftRole.LEADER;
        if (leading && !leads || r.term() != lastTerm) {
            // Transfers serve one leader's term: a new leader decides anew who needs what.
            snapshotIo.execute(snapshotSender::abortAll);
        }
        leading = leads;
        barrier.wakeOnDurable(leads);
        lastTerm = r.term();
        if (r.snapshotToInstall() != null) {
            barrier.track(storage.compact(r.snapshotToInstall()), clock.nanoTime());
            apply.accept(new ApplyTask.Restore(r.snapshotToInstall()));
        }
        if (!r.entries().isEmpty()) {
            FlightEvents.LogWrite event = new FlightEvents.LogWrite();
            event.begin();
            CompletableFuture<Void> write = storage.append(r.entries());
            LatencyHistogram h = persistLatency;
            if (h != null || event.isEnabled() || tracer != null) {
                long start = clock.nanoTime();
                int count = r.entries().size();
                long first = r.entries().get(0).index();
                write.whenComplete((v, e) -> {
                    if (e == null && h != null) {
                        h.record(clock.nanoTime() - start);
                    }
                    if (e == null && tracer != null) {
                        tracer.durable(first, first + count - 1);
                    }
                    event.end();
                    if (event.shouldCommit()) {
                        event.node = core.id();
                        event.entries = count;
                        event.firstIndex = first;
                        event.commit();
                    }
                });
            }
            barrier.track(write, clock.nanoTime());
        }
        HardState hs = r.hardState();
        if (hs != null && hs.termOrVoteDiffers(lastSavedHardState)) {
            // Commit-only changes are not saved: the commit is a hint, and saving it costs a write.
            barrier.track(storage.saveHardState(hs), clock.nanoTime());
            lastSavedHardState = hs;
        }
        reachPeers();
        for (Message m : r.messages()) {
            if (tracer != null && leads && m instanceof AppendRequest a && !a.entries().isEmpty()) {
                tracer.sent(a.prevLogIndex() + 1, a.lastIndex());
            }
            transport.send(m);
        }
        Entry last = r.lastEntry();
        if (!r.messagesAfterPersist().isEmpty() || last != null) {
            Entry durableNow = barrier.afterWrites(r.messagesAfterPersist(), last);
            if (durableNow != null) {
                core.persisted(durableNow.index(), durableNow.term());
            }
        }
        if (!r.committedEntries().isEmpty()) {
            if (tracer != null) {
                tracer.committed(r.committedEntries().get(0).index(),
                        r.committedEntries().get(r.committedEntries().size() - 1).index());
            }
            ApplyTask.Apply task = ApplyTask.Apply.of(r.committedEntries());
            applyQueue.take(task.bytes()); // given back by the applier once applied
            apply.accept(task);
        }
        for (ProposalAccepted a : r.acceptedProposals()) {
            PendingRequest p = requests.handOff(a.requestId());
            if (p != null) {
                apply.accept(p.change != null ? new ApplyTask.AwaitConfiguration(a.index(), a.term(), p.future)
                        : new ApplyTask.Expect(a.index(), a.term(), p.future));
            }
        }
        for (ReadState s : r.readStates()) {
            if (s.byLease() && requests.inCore(s.requestId()) != null && !leaseStillHolds(s)) {
                core.read(s.requestId(), false); // the lease may have lapsed before it was checked: confirm
                continue;
            }
            PendingRequest p = requests.handOff(s.requestId());
            if (p != null) {
                apply.accept(new ApplyTask.ReadAt(s.readIndex(), p.payload, p.future));
            }
        }
        for (RequestRejected x : r.rejectedRequests()) {
            outcomes.rejected(x);
        }
        long term = r.term();
        for (String peer : r.snapshotsToSend()) {
            snapshotIo.execute(() -> snapshotSender.start(peer, term, 0, core.id()));
        }
        for (DelegateSnapshot d : r.snapshotsToDonate()) {
            snapshotIo.execute(() -> snapshotSender.start(d.target(), term, d.minIndex(), d.from()));
        }
        outcomes.settleTransfers(r.leader());
        if (r.leader() != null && !r.leader().equals(lastLeader)) {
            for (PendingRequest p : requests.takeRetries()) {
                issue(p); // a new leader: no need to wait for the next tick
            }
        }
        lastLeader = r.leader();
    }
}
