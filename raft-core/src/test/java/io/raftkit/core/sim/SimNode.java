package io.raftkit.core.sim;

import io.raftkit.core.Bugs;
import io.raftkit.core.Entry;
import io.raftkit.core.EntryType;
import io.raftkit.core.ProposalAccepted;
import io.raftkit.core.RaftCore;
import io.raftkit.core.RaftRole;
import io.raftkit.core.ReadState;
import io.raftkit.core.Ready;
import io.raftkit.core.RequestRejected;
import io.raftkit.core.SnapshotMeta;
import io.raftkit.core.message.InstallSnapshot;
import io.raftkit.core.message.InstallSnapshotResponse;
import io.raftkit.core.message.Message;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One simulated node: a real {@link RaftCore} on a {@link SimDisk}, and the driver that does exactly
 * the duties {@link Ready} lists, in its order. It also applies committed commands to a
 * {@link KvStateMachine} and completes client requests the way the Ready contract says they complete.
 *
 * <p>Snapshots, when the run takes them, work as in the runtime ({@code RaftLoop}, {@code Applier},
 * {@code SnapshotSender}, {@code SnapshotReceiver}): every {@code snapshotEvery} applied entries the node
 * writes a snapshot of its state machine, and only once that is durable compacts its log. A leader
 * sends its latest durable snapshot to the peers a Ready names; a follower makes a received snapshot
 * durable before it hands it to the core, and restores its state machine when a Ready says to install.
 *
 * <p>A crash throws away everything in memory (core, state machine, requests, messages held until
 * durable, snapshots being written); a restart loads the durable snapshot, if any, into the state
 * machine and builds a new core on what the disk kept.
 */
final class SimNode {

    /** Messages that promise durable state, held until the writes submitted before them are durable. */
    private record Held(long writesNeeded, List<Message> messages) {}

    /** A proposal the core accepted, waiting for this node to apply its index. */
    private record AwaitedEntry(long requestId, long term) {}

    /** A read the core cleared, waiting for this node to apply its read index. */
    private record AwaitedRead(long requestId, long readIndex) {}

    final String id;
    final long tickPeriod;
    private final Simulation sim;
    private RaftCore core;
    private SimDisk disk = new SimDisk();
    private final SimSnapshotStore snapshots = new SimSnapshotStore();
    /** What to do when each snapshot write in progress becomes durable, oldest first. */
    private final ArrayDeque<Runnable> onSnapshotDurable = new ArrayDeque<>();
    private SnapshotTransfers transfers;
    private AppliedState state;
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private final ArrayDeque<Object> inbox = new ArrayDeque<>();
    private final Map<Long, ClientRequest> requests = new HashMap<>();
    private final TreeMap<Long, List<AwaitedEntry>> awaitedEntries = new TreeMap<>();
    private final List<AwaitedRead> awaitedReads = new ArrayList<>();
    private int incarnation;
    private boolean crashed;
    private boolean paused;
    private long lastDiskCompletionAt;
    private long lastSnapshotCompletionAt;
    private int snapshotsTaken;
    private int snapshotsSent;
    private int snapshotsInstalled;

    SimNode(String id, long tickPeriod, Simulation sim) {
        this.id = id;
        this.tickPeriod = tickPeriod;
        this.sim = sim;
    }

    // ---- life cycle -----------------------------------------------------------------------------

    void start() {
        crashed = false;
        incarnation++;
        state = new AppliedState();
        if (snapshots.latest() != null) {
            // Before anything else, as the runtime's Applier.restoreLatest: the core then hands out
            // only entries after the log's compaction point, and those the snapshot covers are skipped.
            restore(snapshots.latest());
        }
        core = new RaftCore(id, sim.configuration(), disk, sim.options().raft(), sim.coreSeed());
        for (String bug : sim.bugs()) {
            Bugs.plant(core, bug);
        }
        transfers = new SnapshotTransfers(id, 2 * sim.options().raft().electionTicks(), sim.network()::send,
                (peer, success) -> core.snapshotSent(peer, success));
        lastDiskCompletionAt = sim.events().now();
        lastSnapshotCompletionAt = sim.events().now();
        int inc = incarnation;
        sim.events().after(1 + sim.random().nextLong(tickPeriod), new Label(id, "first tick"), () -> tick(inc));
        drain();
    }

    /** Power cut: memory is lost, and so is whatever the disk had not made durable (maybe not all of it). */
    void crash(int survivingWrites, int tornEntries) {
        crashed = true;
        paused = false;
        incarnation++;
        disk = disk.crash(survivingWrites, tornEntries);
        snapshots.crash();
        onSnapshotDurable.clear();
        held.clear();
        List<Long> lost = new ArrayList<>(requests.keySet());
        for (Object o : inbox) {
            if (o instanceof ClientRequest r) {
                lost.add(r.requestId());
            }
        }
        inbox.clear();
        awaitedEntries.clear();
        awaitedReads.clear();
        requests.clear();
        for (long requestId : lost) {
            sim.workload().lostWithNode(requestId);
        }
    }

    void pause() {
        paused = true;
    }

    /** Wakes up and handles, in order, what arrived while paused. */
    void resume() {
        paused = false;
        while (!inbox.isEmpty() && !paused && !crashed) {
            Object o = inbox.poll();
            if (o instanceof Message m) {
                onMessage(m);
            } else {
                execute((ClientRequest) o);
            }
            drain();
            sim.checker().afterStep();
        }
    }

    private void tick(int inc) {
        if (inc != incarnation || crashed) {
            return;
        }
        if (!paused) {
            core.tick();
            transfers.tick();
            drain();
        }
        sim.events().after(tickPeriod, new Label(id, "tick"), () -> tick(inc));
    }

    // ---- inputs ---------------------------------------------------------------------------------

    void receive(Message m) {
        if (crashed) {
            return;
        }
        if (paused) {
            inbox.add(m);
            return;
        }
        onMessage(m);
        drain();
    }

    /** As the runtime's RaftLoop: snapshot answers go to the transfers, snapshots to the store, then the core. */
    private void onMessage(Message m) {
        if (m instanceof InstallSnapshotResponse r) {
            if (core.role() == RaftRole.LEADER && r.term() == core.term()) {
                transfers.onResponse(r);
            } else {
                core.step(m);
            }
            return;
        }
        core.step(m);
        if (m instanceof InstallSnapshot s && s.term() == core.term() && core.role() == RaftRole.FOLLOWER) {
            receiveSnapshot(s);
        }
    }

    /** A client request arrives. Returns false when the node is down (the client sees a refused connection). */
    boolean submit(ClientRequest request) {
        if (crashed) {
            return false;
        }
        if (paused) {
            inbox.add(request);
        } else {
            execute(request);
            drain();
        }
        return true;
    }

    /** The client gave up on a request; a late answer is ignored. */
    void forget(long requestId) {
        requests.remove(requestId);
    }

    private void execute(ClientRequest r) {
        if (r.isWrite()) {
            requests.put(r.requestId(), r);
            core.propose(r.requestId(), r.command().encode());
        } else if (r.mode() == Operation.ReadMode.STALE) {
            sim.workload().staleReadDone(r.requestId(), state.get(r.key()), id, state.index());
        } else {
            requests.put(r.requestId(), r);
            core.read(r.requestId(), r.mode() == Operation.ReadMode.LEASE);
        }
    }

    // ---- the driver's duties ---------------------------------------------------------------------

    private void drain() {
        while (!crashed && core.hasReady()) {
            handle(core.ready());
        }
    }

    private void handle(Ready r) {
        sim.checker().onReady(this, r);
        if (r.role() != RaftRole.LEADER) {
            transfers.abortAll();
        }
        // 6 (install) comes first, as in the runtime: the log must be compacted to the snapshot before
        // this Ready's entries, which follow it, can be appended.
        if (r.snapshotToInstall() != null) {
            install(r.snapshotToInstall());
        }
        // 1. Entries, then hard state, to storage.
        if (!r.entries().isEmpty()) {
            Entry last = r.lastEntry();
            int inc = incarnation;
            disk.append(r.entries()).thenRun(() -> {
                if (inc == incarnation) {
                    core.persisted(last.index(), last.term());
                }
            });
            scheduleDiskCompletion();
        }
        if (r.hardState() != null) {
            disk.saveHardState(r.hardState());
            scheduleDiskCompletion();
        }
        // 2. Messages that depend on nothing.
        for (Message m : r.messages()) {
            sim.network().send(m);
        }
        // 3. Messages that promise durability: once every write submitted so far is durable.
        if (!r.messagesAfterPersist().isEmpty()) {
            held.add(new Held(disk.submittedWrites(), r.messagesAfterPersist()));
            releaseHeld();
        }
        // 5. Apply (4, persisted, is the append's callback above). Accepted proposals first, so that one
        // applied in this same Ready completes.
        for (ProposalAccepted a : r.acceptedProposals()) {
            accepted(a);
        }
        for (RequestRejected rej : r.rejectedRequests()) {
            rejected(rej);
        }
        for (Entry e : r.committedEntries()) {
            apply(e);
        }
        maybeTakeSnapshot();
        // 6. Reads, then snapshots to send.
        for (ReadState rs : r.readStates()) {
            if (requests.containsKey(rs.requestId())) {
                awaitedReads.add(new AwaitedRead(rs.requestId(), rs.readIndex()));
            }
        }
        serveReads();
        for (String peer : r.snapshotsToSend()) {
            sendSnapshot(peer, r.term());
        }
    }

    private void scheduleDiskCompletion() {
        SimOptions o = sim.options();
        long latency = o.diskMinLatency() + sim.random().nextLong(o.diskMaxLatency() - o.diskMinLatency() + 1);
        if (!sim.healed() && sim.random().nextDouble() < o.diskStallRate()) {
            latency += o.diskStall();
        }
        long at = Math.max(lastDiskCompletionAt, sim.events().now() + latency);
        lastDiskCompletionAt = at;
        SimDisk d = disk;
        sim.events().at(at, new Label(id, "disk write durable"), () -> completeWrite(d));
    }

    private void completeWrite(SimDisk d) {
        if (d != disk || crashed) {
            return;
        }
        if (paused) {
            // The write is on its way; the paused process will only see it complete after it resumes.
            sim.events().after(SimOptions.TICK / 2, new Label(id, "disk write durable (after pause)"), () -> completeWrite(d));
            return;
        }
        disk.completeNext();
        releaseHeld();
        drain();
    }

    private void releaseHeld() {
        while (!held.isEmpty() && held.peek().writesNeeded() <= disk.durableWrites()) {
            for (Message m : held.poll().messages()) {
                sim.network().send(m);
            }
        }
    }

    private void accepted(ProposalAccepted a) {
        if (!requests.containsKey(a.requestId())) {
            return;
        }
        if (a.index() <= state.restoredIndex()) {
            unknownResult(a.requestId());
        } else if (a.index() <= state.index()) {
            resolveWrite(a.requestId(), a.index(), a.term(), state.at(a.index()));
        } else {
            awaitedEntries.computeIfAbsent(a.index(), i -> new ArrayList<>()).add(new AwaitedEntry(a.requestId(), a.term()));
        }
    }

    private void rejected(RequestRejected rej) {
        ClientRequest r = requests.remove(rej.requestId());
        if (r == null) {
            return;
        }
        if (!r.isWrite()) {
            sim.workload().readFailed(r.requestId());
        } else if (rej.reason() == RequestRejected.Reason.LEADER_CHANGED) {
            sim.workload().writeIndeterminate(r.requestId());
        } else {
            sim.workload().writeFailed(r.requestId(), r.command().opId(), "rejected " + rej.reason() + " by " + id);
        }
    }

    private void apply(Entry e) {
        if (e.index() <= state.restoredIndex()) {
            // Already in the restored snapshot (the runtime's Applier skips these too).
            sim.checker().onApply(this, e);
            return;
        }
        long index = state.index() + 1;
        if (e.index() != index) {
            sim.fail(id + " was given " + e + " to apply, but the next index to apply is " + index);
        }
        sim.checker().onApply(this, e);
        AppliedState.Applied a = state.apply(e);
        if (e.type() == EntryType.COMMAND) {
            sim.workload().applied(a.opId(), id, index);
        }
        List<AwaitedEntry> waiting = awaitedEntries.remove(index);
        if (waiting != null) {
            for (AwaitedEntry w : waiting) {
                resolveWrite(w.requestId(), index, w.term(), a);
            }
        }
    }

    /** Ready's rule: committed if the entry at the index has the proposal's term, overwritten otherwise. */
    private void resolveWrite(long requestId, long index, long term, AppliedState.Applied a) {
        ClientRequest r = requests.remove(requestId);
        if (r == null) {
            return;
        }
        if (a.term() != term) {
            sim.workload().writeFailed(requestId, r.command().opId(),
                    "overwritten: " + id + " applied term " + a.term() + " at " + index + ", accepted in term " + term);
            return;
        }
        if (a.opId() != r.command().opId()) {
            sim.fail(id + ": proposal op" + r.command().opId() + " was accepted at " + index + "/" + term
                    + ", but the entry applied there is op" + a.opId());
        }
        sim.workload().writeDone(requestId, a.changed());
    }

    private void serveReads() {
        if (awaitedReads.isEmpty()) {
            return;
        }
        awaitedReads.removeIf(w -> {
            if (w.readIndex() > state.index()) {
                return false;
            }
            ClientRequest r = requests.remove(w.requestId());
            if (r != null) {
                sim.workload().readDone(w.requestId(), state.get(r.key()));
            }
            return true;
        });
    }

    // ---- snapshots ------------------------------------------------------------------------------

    /** As the runtime's Applier after a batch: snapshot once enough entries were applied since the last. */
    private void maybeTakeSnapshot() {
        int every = sim.options().snapshotEvery();
        if (every == 0 || state.index() - snapshots.newestIndex() < every) {
            return;
        }
        SimSnapshot s = state.snapshot(core.configuration());
        snapshotsTaken++;
        sim.checker().checkNow(this); // the commit that let these entries apply came in this very step
        sim.checker().onSnapshot(id, s, "takes");
        writeSnapshot(s, () -> compactTo(s));
    }

    /**
     * The snapshot is durable: only now may the log lose the entries it covers (the runtime's
     * RaftLoop.compactTo), keeping {@code snapshotKeep} of them so that a peer slightly behind can still
     * catch up from the log.
     */
    private void compactTo(SimSnapshot s) {
        long to = s.index() - sim.options().snapshotKeep();
        if (to <= disk.snapshotMeta().index() || to > disk.lastIndex()) {
            return;
        }
        if (to == s.index() && disk.term(to) != s.meta().term()) {
            sim.fail(id + " took " + s + " but its log holds term " + disk.term(to) + " at that index");
        }
        disk.compact(to == s.index() ? s.meta() : new SnapshotMeta(to, disk.term(to), s.meta().configuration()));
        scheduleDiskCompletion();
    }

    private void sendSnapshot(String peer, long term) {
        SimSnapshot latest = snapshots.latest();
        if (latest == null || latest.index() < core.firstIndex() - 1) {
            sim.fail(id + " must send a snapshot to " + peer + " but its log is compacted to " + (core.firstIndex() - 1)
                    + " and its latest durable snapshot is " + latest);
        }
        if (transfers.start(peer, term, latest)) {
            snapshotsSent++;
        }
    }

    /** As the runtime's SnapshotReceiver: durable first, then answered and handed to the core. */
    private void receiveSnapshot(InstallSnapshot m) {
        SimSnapshot s = new SimSnapshot(m.meta(), m.data());
        writeSnapshot(s, () -> {
            // The runtime stores and hands over in one step; here time passed, so the core may have
            // moved on: then it gets nothing, and the leader's transfer times out.
            if (core.term() == m.term() && core.role() == RaftRole.FOLLOWER) {
                sim.network().send(new InstallSnapshotResponse(id, m.from(), m.term(), m.meta().index(),
                        m.data().length, true));
                core.installSnapshot(m.from(), m.meta());
            }
        });
    }

    /** A Ready says to install: compact the log to the snapshot, then restore the state machine from the store. */
    private void install(SnapshotMeta meta) {
        snapshotsInstalled++;
        disk.compact(meta);
        scheduleDiskCompletion();
        SimSnapshot latest = snapshots.latest();
        if (latest == null || latest.index() < meta.index()) {
            sim.fail(id + " must install snapshot " + meta + " but its latest durable snapshot is " + latest);
        }
        if (latest.index() < state.index()) {
            sim.fail(id + " must install snapshot " + meta + ": its state machine would go back from index "
                    + state.index() + " to " + latest.index());
        }
        restore(latest);
    }

    private void restore(SimSnapshot s) {
        state.restore(s);
        sim.checker().onSnapshot(id, s, "restores");
        // Writes the snapshot covers: whether they are in it, it cannot say (the Applier does the same).
        while (!awaitedEntries.isEmpty() && awaitedEntries.firstKey() <= state.index()) {
            for (AwaitedEntry w : awaitedEntries.pollFirstEntry().getValue()) {
                unknownResult(w.requestId());
            }
        }
        serveReads();
    }

    private void unknownResult(long requestId) {
        if (requests.remove(requestId) != null) {
            sim.workload().writeIndeterminate(requestId);
        }
    }

    /** Starts a snapshot write; {@code then} runs once it is durable, unless the node crashed first. */
    private void writeSnapshot(SimSnapshot s, Runnable then) {
        snapshots.startWrite(s);
        onSnapshotDurable.add(then);
        long at = Math.max(lastSnapshotCompletionAt,
                sim.events().now() + sim.random().nextLong(sim.options().snapshotWriteMax() + 1));
        lastSnapshotCompletionAt = at;
        int inc = incarnation;
        sim.events().at(at, new Label(id, "snapshot durable"), () -> completeSnapshotWrite(inc));
    }

    private void completeSnapshotWrite(int inc) {
        if (inc != incarnation || crashed) {
            return;
        }
        if (paused) {
            sim.events().after(SimOptions.TICK / 2, new Label(id, "snapshot durable (after pause)"),
                    () -> completeSnapshotWrite(inc));
            return;
        }
        snapshots.completeNext();
        onSnapshotDurable.poll().run();
        drain();
    }

    // ---- status for checkers --------------------------------------------------------------------

    RaftCore core() {
        return core;
    }

    SimDisk disk() {
        return disk;
    }

    boolean crashed() {
        return crashed;
    }

    boolean paused() {
        return paused;
    }

    /** The index the state machine reflects. */
    long appliedIndex() {
        return state.index();
    }

    /** The index of the snapshot the state machine was restored from in this incarnation, or 0. */
    long restoredIndex() {
        return state.restoredIndex();
    }

    /** The state machine's image, for the end-of-run comparison with the committed log. */
    byte[] stateImage() {
        return state.image();
    }

    SimSnapshotStore snapshots() {
        return snapshots;
    }

    int snapshotsTaken() {
        return snapshotsTaken;
    }

    int snapshotsSent() {
        return snapshotsSent;
    }

    int snapshotsInstalled() {
        return snapshotsInstalled;
    }

    int openRequests() {
        return requests.size();
    }

    /** A trace label: which node, what happened. */
    record Label(String node, String what) {
        @Override
        public String toString() {
            return node + " " + what;
        }
    }
}
