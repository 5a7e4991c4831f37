package io.raftkit.core.sim;

import io.raftkit.core.Bugs;
import io.raftkit.core.Entry;
import io.raftkit.core.EntryType;
import io.raftkit.core.ProposalAccepted;
import io.raftkit.core.RaftCore;
import io.raftkit.core.ReadState;
import io.raftkit.core.Ready;
import io.raftkit.core.RequestRejected;
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
 * <p>A crash throws away everything in memory (core, state machine, requests, messages held until
 * durable); a restart builds a new core on what the disk kept.
 */
final class SimNode {

    /** What was applied at an index: its term, the operation it carried (or -1), and the CAS result. */
    private record Applied(long term, long opId, boolean changed) {}

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
    private KvStateMachine kv;
    private final List<Applied> applied = new ArrayList<>();
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private final ArrayDeque<Object> inbox = new ArrayDeque<>();
    private final Map<Long, ClientRequest> requests = new HashMap<>();
    private final TreeMap<Long, List<AwaitedEntry>> awaitedEntries = new TreeMap<>();
    private final List<AwaitedRead> awaitedReads = new ArrayList<>();
    private int incarnation;
    private boolean crashed;
    private boolean paused;
    private long lastDiskCompletionAt;

    SimNode(String id, long tickPeriod, Simulation sim) {
        this.id = id;
        this.tickPeriod = tickPeriod;
        this.sim = sim;
    }

    // ---- life cycle -----------------------------------------------------------------------------

    void start() {
        crashed = false;
        incarnation++;
        core = new RaftCore(id, sim.configuration(), disk, sim.options().raft(), sim.coreSeed());
        for (String bug : sim.bugs()) {
            Bugs.plant(core, bug);
        }
        kv = new KvStateMachine();
        applied.clear();
        lastDiskCompletionAt = sim.events().now();
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
                core.step(m);
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
        core.step(m);
        drain();
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
            sim.workload().staleReadDone(r.requestId(), kv.get(r.key()), id, applied.size());
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
        if (r.snapshotToInstall() != null || !r.snapshotsToSend().isEmpty()) {
            sim.fail(id + " asked for a snapshot, but the simulation never compacts: " + r);
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
        // 6. Reads.
        for (ReadState rs : r.readStates()) {
            if (requests.containsKey(rs.requestId())) {
                awaitedReads.add(new AwaitedRead(rs.requestId(), rs.readIndex()));
            }
        }
        serveReads();
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
        if (a.index() <= applied.size()) {
            resolveWrite(a.requestId(), a.index(), a.term(), applied.get((int) a.index() - 1));
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
        long index = applied.size() + 1;
        if (e.index() != index) {
            sim.fail(id + " was given " + e + " to apply, but the next index to apply is " + index);
        }
        sim.checker().onApply(this, e);
        Applied a;
        if (e.type() == EntryType.COMMAND) {
            KvCommand c = KvCommand.decode(e.data());
            boolean changed = kv.apply(c);
            sim.workload().applied(c.opId(), id, index);
            a = new Applied(e.term(), c.opId(), changed);
        } else {
            a = new Applied(e.term(), -1, false);
        }
        applied.add(a);
        List<AwaitedEntry> waiting = awaitedEntries.remove(index);
        if (waiting != null) {
            for (AwaitedEntry w : waiting) {
                resolveWrite(w.requestId(), index, w.term(), a);
            }
        }
    }

    /** Ready's rule: committed if the entry at the index has the proposal's term, overwritten otherwise. */
    private void resolveWrite(long requestId, long index, long term, Applied a) {
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
            if (w.readIndex() > applied.size()) {
                return false;
            }
            ClientRequest r = requests.remove(w.requestId());
            if (r != null) {
                sim.workload().readDone(w.requestId(), kv.get(r.key()));
            }
            return true;
        });
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

    long appliedCount() {
        return applied.size();
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
