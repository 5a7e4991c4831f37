package io.raftkit.testkit.sim;

import io.raftkit.core.Entry;
import io.raftkit.core.RaftCore;
import io.raftkit.core.Ready;
import io.raftkit.core.SnapshotMeta;
import io.raftkit.core.StateMachine;
import io.raftkit.core.message.InstallSnapshot;
import io.raftkit.core.message.Message;
import io.raftkit.node.ReadConsistency;
import io.raftkit.node.internal.SimulatedNode;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * One simulated node: the production runtime ({@link SimulatedNode}: the same node driver, applier,
 * snapshot sender and receiver that {@code RaftNode} runs) on a {@link SimDisk}, a
 * {@link SimSnapshotStore}, a {@link SimClock} and the {@link SimNetwork}. This class is only the
 * wiring that plays the runtime's threads on simulated time:
 * <ul>
 *   <li>the event loop: each input (a message, a client request, a task the runtime posts to itself)
 *       runs at once, followed by the driver's duties; a wake-up is scheduled for the next tick;</li>
 *   <li>the apply thread: apply tasks queue and run together after a random delay;</li>
 *   <li>the snapshot I/O thread: its tasks queue and run after a random latency;</li>
 *   <li>the storage thread: each write becomes durable after a random latency, in order.</li>
 * </ul>
 * A stall stops all of them at once (a GC pause, a stopped process) while simulated time and the node's
 * clock run on: inputs queue, and run in order when it resumes. A crash throws all of it away, and
 * what the disk had not made durable; a restart recovers from what the disks kept.
 */
final class SimNode {

    final String id;
    final long tickPeriod;
    private final Simulation sim;
    private SimDisk disk = new SimDisk();
    private final SimSnapshotStore snapshots;
    private SimulatedNode parts;
    private StateMachine stateMachine;
    private int incarnation;
    private boolean crashed;
    private boolean stalled;
    private boolean diskHung;
    private final ArrayDeque<Runnable> stalledInputs = new ArrayDeque<>();
    private final ArrayDeque<Object> applyQueue = new ArrayDeque<>();
    private boolean applyScheduled;
    private boolean applying;
    private final ArrayDeque<Runnable> snapshotIo = new ArrayDeque<>();
    private boolean snapshotIoScheduled;
    private final Map<Long, BiConsumer<byte[], Throwable>> requests = new HashMap<>();
    private long wakeAt = Long.MAX_VALUE;
    private SimClock clock;
    private long appliedIndex;
    private long restoredIndex;
    private long lastDiskCompletionAt;
    private long lastSnapshotIoAt;
    private int snapshotsTaken;
    private int snapshotsSent;
    private int snapshotsInstalled;

    SimNode(String id, long tickPeriod, Simulation sim) {
        this.id = id;
        this.tickPeriod = tickPeriod;
        this.sim = sim;
        this.snapshots = new SimSnapshotStore(this::snapshotCommitted);
    }

    // ---- life cycle -----------------------------------------------------------------------------

    void start() {
        crashed = false;
        incarnation++;
        stateMachine = sim.application().stateMachine(id);
        clock = new SimClock(sim.events(), tickPeriod, sim.random().nextLong(1L << 40),
                sim.bugs().contains(SimBugs.CLOCK_STOPS_WHILE_STALLED));
        int inc = incarnation;
        disk.onSubmit(() -> scheduleDiskCompletion(inc));
        if (sim.bugs().contains(SimBugs.ACK_BEFORE_DURABLE)) {
            disk.acknowledgeEarly();
        }
        lastDiskCompletionAt = sim.events().now();
        lastSnapshotIoAt = sim.events().now();
        try {
            parts = SimulatedNode.start(id, sim.configuration(), stateMachine, disk, snapshots, sim.nodeOptions(), clock,
                    sim.coreSeed(), new Host(inc), sim.bugs().contains(SimBugs.SESSIONS_LEFT_OUT_OF_SNAPSHOTS)
                            ? SimulatedNode.PlantedDefect.SESSIONS_LEFT_OUT_OF_SNAPSHOTS : null);
        } catch (IOException e) {
            throw new IllegalStateException(id + " cannot recover from its snapshot store", e);
        }
        appliedIndex = parts.appliedIndex();
        restoredIndex = appliedIndex;
        if (restoredIndex > 0) {
            sim.checker().onSnapshot(id, snapshots.latestSnapshot(), "loads at restart");
        }
        sim.coreStarted(parts.core());
        input(() -> {});
    }

    /** Power cut: memory is lost, and so is whatever the disk had not made durable (maybe not all of it). */
    void crash(int survivingWrites, int tornEntries) {
        crashed = true;
        stalled = false;
        incarnation++;
        disk = disk.crash(survivingWrites, tornEntries);
        stalledInputs.clear();
        applyQueue.clear();
        applyScheduled = false;
        snapshotIo.clear();
        snapshotIoScheduled = false;
        wakeAt = Long.MAX_VALUE;
        List<Long> lost = new ArrayList<>(requests.keySet());
        requests.clear();
        for (long requestId : lost) {
            sim.application().lostWithNode(requestId);
        }
    }

    /** The disk hangs: no write or fsync completes (the process runs on) until {@link #unhangDisk}. */
    void hangDisk() {
        diskHung = true;
    }

    /** The disk answers again: the writes it held complete, in order. */
    void unhangDisk() {
        diskHung = false;
    }

    boolean diskHung() {
        return diskHung;
    }

    /** The process stops: no thread of it runs, while time (and its clock) runs on. */
    void stall() {
        stalled = true;
        clock.stalled();
    }

    /** The process runs again: first what queued up while it was stopped, in order. */
    void resume() {
        stalled = false;
        clock.resumed();
        while (!stalledInputs.isEmpty() && !stalled && !crashed) {
            input(stalledInputs.poll());
            sim.checker().afterStep();
        }
        if (!crashed) {
            input(() -> {});
        }
    }

    // ---- the event loop ---------------------------------------------------------------------------

    /** Runs {@code r} on the driver, then its duties, as the event loop would; queued while stalled. */
    private void input(Runnable r) {
        if (crashed) {
            return;
        }
        if (stalled) {
            stalledInputs.add(r);
            return;
        }
        r.run();
        parts.runDuties();
        scheduleWake();
    }

    private void scheduleWake() {
        long at = sim.events().now() + clock.unitsFor(parts.nanosToNextTick());
        if (at >= wakeAt) {
            return;
        }
        wakeAt = at;
        int inc = incarnation;
        sim.events().at(at, new Label(id, "tick"), () -> {
            if (inc == incarnation && wakeAt == at) {
                wakeAt = Long.MAX_VALUE;
                input(() -> {});
            }
        });
    }

    void receive(Message m) {
        input(() -> parts.receive(m));
    }

    /** The node's transport reports {@code peer} unreachable (see {@link ConnectionLosses}). */
    void peerUnreachable(String peer) {
        input(() -> parts.peerUnreachable(peer));
    }

    /**
     * A client request arrives; {@code onAnswer} gets what a client of {@code RaftNode} would see (unless
     * the node crashes first, or the client {@link #forget}s it). Returns false when the node is down (the
     * client sees a refused connection).
     */
    boolean submit(long requestId, SimRequest r, BiConsumer<byte[], Throwable> onAnswer) {
        if (crashed) {
            return false;
        }
        requests.put(requestId, onAnswer);
        CompletableFuture<byte[]> answer = new CompletableFuture<>();
        int inc = incarnation;
        answer.whenComplete((value, error) -> {
            if (inc == incarnation && requests.remove(requestId) != null) {
                onAnswer.accept(value, error);
            }
        });
        if (r instanceof SimRequest.OpenSession) {
            input(() -> parts.openSession(answer));
        } else if (r instanceof SimRequest.SessionWrite w) {
            input(() -> parts.submitInSession(w.session(), w.sequence(), w.sequence(), w.command(), answer));
        } else if (r instanceof SimRequest.Write w) {
            input(() -> parts.submit(true, w.command(), false, answer));
        } else {
            read((SimRequest.Read) r, answer);
        }
        return true;
    }

    private void read(SimRequest.Read q, CompletableFuture<byte[]> answer) {
        byte[] query = q.query();
        if (q.consistency() != ReadConsistency.STALE && sim.bugs().contains(SimBugs.READ_WITHOUT_HEARTBEAT_ROUND)) {
            input(() -> {
                if (parts.core().role() == io.raftkit.core.RaftRole.LEADER) {
                    parts.submitReadAt(parts.core().commitIndex(), query, answer);
                } else {
                    parts.submit(false, query, q.consistency() == ReadConsistency.LEASE, answer);
                }
            });
            return;
        }
        switch (q.consistency()) {
            case STALE -> input(() -> parts.submitStaleRead(query, answer));
            case LEASE -> input(() -> parts.submit(false, query, true, answer));
            case LINEARIZABLE -> input(() -> parts.submit(false, query, false, answer));
        }
    }

    /** A scripted schedule acts on the core directly (a campaign, say), as an input of the event loop. */
    void act(java.util.function.Consumer<RaftCore> action) {
        input(() -> action.accept(parts.core()));
    }

    /** The client gave up on a request; a late answer is ignored. */
    void forget(long requestId) {
        requests.remove(requestId);
    }

    // ---- the storage thread -----------------------------------------------------------------------

    private void scheduleDiskCompletion(int inc) {
        SimOptions o = sim.options();
        long latency = o.diskMinLatency() + sim.random().nextLong(o.diskMaxLatency() - o.diskMinLatency() + 1);
        if (!sim.healed() && sim.random().nextDouble() < o.diskStallRate()) {
            latency += o.diskStall();
        }
        long at = Math.max(lastDiskCompletionAt, sim.events().now() + latency);
        lastDiskCompletionAt = at;
        SimDisk d = disk;
        sim.events().at(at, new Label(id, "disk write durable"), () -> completeWrite(inc, d));
    }

    private void completeWrite(int inc, SimDisk d) {
        if (inc != incarnation || d != disk || crashed) {
            return;
        }
        if (stalled || diskHung) {
            // The write is on its way; the stopped process only sees it complete once it resumes, and a
            // hung disk completes nothing until it answers again.
            sim.events().after(SimOptions.TICK / 2, new Label(id, "disk write durable (after stall)"),
                    () -> completeWrite(inc, d));
            return;
        }
        disk.completeNext(); // the persistence barrier sends what waited for it, as the storage thread does
        input(() -> {});
    }

    // ---- the apply thread -------------------------------------------------------------------------

    private void offerApplyTask(Object task) {
        applyQueue.add(task);
        if (!applyScheduled) {
            applyScheduled = true;
            int inc = incarnation;
            sim.events().after(sim.random().nextLong(sim.options().applyDelayMax() + 1), new Label(id, "applies"),
                    () -> runApplyTasks(inc));
        }
    }

    private void runApplyTasks(int inc) {
        if (inc != incarnation || crashed) {
            return;
        }
        if (stalled) {
            sim.events().after(SimOptions.TICK / 2, new Label(id, "applies (after stall)"), () -> runApplyTasks(inc));
            return;
        }
        applyScheduled = false;
        applying = true;
        try {
            while (!applyQueue.isEmpty()) {
                Object task = applyQueue.poll();
                SnapshotMeta restore = SimulatedNode.restores(task);
                if (restore != null) {
                    installing(restore);
                }
                parts.runApplyTask(task);
                if (restore != null) {
                    appliedIndex = parts.appliedIndex();
                    restoredIndex = appliedIndex;
                }
            }
        } catch (IOException e) {
            sim.fail(id + "'s applier failed: " + e);
        } finally {
            applying = false;
        }
    }

    /** The applier is about to restore the state machine from the store for a snapshot the leader sent. */
    private void installing(SnapshotMeta meta) {
        snapshotsInstalled++;
        SimSnapshot latest = snapshots.latestSnapshot();
        if (latest == null || latest.index() < meta.index()) {
            sim.fail(id + " must install snapshot " + meta + " but its latest durable snapshot is " + latest);
        }
        if (latest.index() < appliedIndex) {
            sim.fail(id + " must install snapshot " + meta + ": its state machine would go back from index "
                    + appliedIndex + " to " + latest.index());
        }
        sim.checker().onSnapshot(id, latest, "restores");
    }

    /** The applier applied {@code e}. */
    private void applied(Entry e) {
        sim.checker().onApply(this, e);
        appliedIndex = e.index();
    }

    private void snapshotCommitted(SimSnapshot s) {
        if (applying) {
            snapshotsTaken++;
            sim.checker().checkNow(this); // the commit that let these entries apply came in an earlier step
            sim.checker().onSnapshot(id, s, "takes");
        }
    }

    // ---- the snapshot I/O thread ------------------------------------------------------------------

    private void snapshotIo(Runnable task) {
        snapshotIo.add(task);
        if (!snapshotIoScheduled) {
            snapshotIoScheduled = true;
            long at = Math.max(lastSnapshotIoAt,
                    sim.events().now() + sim.random().nextLong(sim.options().snapshotWriteMax() + 1));
            lastSnapshotIoAt = at;
            int inc = incarnation;
            sim.events().at(at, new Label(id, "snapshot I/O"), () -> runSnapshotIo(inc));
        }
    }

    private void runSnapshotIo(int inc) {
        if (inc != incarnation || crashed) {
            return;
        }
        if (stalled) {
            sim.events().after(SimOptions.TICK / 2, new Label(id, "snapshot I/O (after stall)"), () -> runSnapshotIo(inc));
            return;
        }
        snapshotIoScheduled = false;
        while (!snapshotIo.isEmpty()) {
            snapshotIo.poll().run();
        }
    }

    /** What the runtime's parts see of the world, for one incarnation: stale ones are ignored. */
    private final class Host implements SimulatedNode.Host {
        private final int inc;

        Host(int inc) {
            this.inc = inc;
        }

        private boolean current() {
            return inc == incarnation && !crashed;
        }

        @Override
        public void offerApplyTask(Object task) {
            if (current()) {
                SimNode.this.offerApplyTask(task);
            }
        }

        @Override
        public void snapshotIo(Runnable task) {
            if (current()) {
                SimNode.this.snapshotIo(task);
            }
        }

        @Override
        public void driver(Runnable task) {
            if (current()) {
                // Posted from another "thread" (the apply or snapshot I/O process): a later step.
                sim.events().after(0, new Label(id, "driver task"), () -> {
                    if (current()) {
                        input(task);
                    }
                });
            }
        }

        @Override
        public void send(Message m) {
            if (current()) {
                if (m instanceof InstallSnapshot s && s.offset() == 0) {
                    snapshotsSent++;
                }
                sim.network().send(m);
            }
        }

        @Override
        public void failed(Throwable error) {
            if (current()) {
                sim.fail(id + " failed: " + error);
            }
        }

        @Override
        public void ready(Ready r) {
            if (current()) {
                sim.checker().onReady(SimNode.this, r);
            }
        }

        @Override
        public void applied(Entry e) {
            if (current()) {
                SimNode.this.applied(e);
            }
        }
    }

    // ---- status for checkers --------------------------------------------------------------------

    RaftCore core() {
        return parts.core();
    }

    SimDisk disk() {
        return disk;
    }

    boolean crashed() {
        return crashed;
    }

    boolean stalled() {
        return stalled;
    }

    /** The index the state machine reflects. */
    long appliedIndex() {
        return appliedIndex;
    }

    /** The index of the snapshot the state machine was last restored from in this incarnation, or 0. */
    long restoredIndex() {
        return restoredIndex;
    }

    /** The state machine's snapshot, for the end-of-run comparison with the committed log. */
    byte[] stateImage() {
        return SnapshotBytes.of(stateMachine);
    }

    /** The state machine of this incarnation, for the end-of-run checks. */
    StateMachine stateMachine() {
        return stateMachine;
    }

    /** The applier's applied index, as the runtime sees it when it answers a request. */
    long applierIndex() {
        return parts.appliedIndex();
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
