package io.raftkit.node;

import io.raftkit.core.Configuration;
import io.raftkit.core.Entry;
import io.raftkit.core.LogStorage;
import io.raftkit.core.RaftCore;
import io.raftkit.core.Ready;
import io.raftkit.core.SnapshotMeta;
import io.raftkit.core.SnapshotStore;
import io.raftkit.core.StateMachine;
import io.raftkit.core.Transport;
import io.raftkit.core.message.Message;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The production runtime of one node, without its threads: the very {@link NodeDriver}, {@link Applier},
 * {@code SnapshotSender} and {@code SnapshotReceiver} that {@link RaftNode} runs, recovered at start by
 * the same {@link NodeRecovery}. The simulator ({@code io.raftkit.core.sim.SimNode}) decides when each
 * part runs: it plays the event loop, the apply thread and the snapshot I/O thread on simulated time.
 *
 * <p>Test code, public only so that the simulator's package can reach the runtime's package-private
 * classes; the production jar has no such door.
 */
public final class NodeParts {

    /** Where the parts' work goes: the simulator's stand-ins for the runtime's threads. */
    public interface Host {
        /** Queue an apply task for the apply process; run it later with {@link #runApplyTask}. */
        void offerApplyTask(Object task);

        /** Run {@code task} later on the snapshot I/O process, in order. */
        void snapshotIo(Runnable task);

        /** Run {@code task} later on this node's driver, in order with its other inputs. */
        void driver(Runnable task);

        /** Send a message to a peer. */
        void send(Message m);

        /** Storage or the state machine failed: the node stops. */
        void failed(Throwable error);

        /** Every Ready, before it is carried out. */
        void ready(Ready r);

        /** Every entry the applier applied, after the state machine saw it. */
        void applied(Entry e);
    }

    private final NodeDriver driver;
    private final Applier applier;

    private final Host host;

    private final NodeOptions driverOptions;
    private final Clock clock;

    private NodeParts(NodeDriver driver, Applier applier, Host host, NodeOptions options, Clock clock) {
        this.driverOptions = options;
        this.clock = clock;
        this.driver = driver;
        this.applier = applier;
        this.host = host;
    }

    /**
     * Recovers a node from {@code log} and {@code snapshots} (restoring {@code stateMachine} from the
     * latest snapshot first), as {@code RaftNode} does, and wires its parts to {@code host}.
     */
    public static NodeParts start(String id, Configuration configuration, StateMachine stateMachine,
                                  LogStorage log, SnapshotStore snapshots, NodeOptions options, Clock clock,
                                  long seed, Host host) throws IOException {
        return start(id, configuration, stateMachine, log, snapshots, options, clock, seed, host, false);
    }

    /**
     * As {@link #start(String, Configuration, StateMachine, LogStorage, SnapshotStore, NodeOptions, Clock, long,
     * Host)}; with {@code sessionsLeftOutOfSnapshots}, a planted bug: the node's snapshots hold an empty
     * client-session table, so a node restored from one applies a retried command again.
     */
    public static NodeParts start(String id, Configuration configuration, StateMachine stateMachine,
                                  LogStorage log, SnapshotStore snapshots, NodeOptions options, Clock clock,
                                  long seed, Host host, boolean sessionsLeftOutOfSnapshots) throws IOException {
        NodeDriver[] self = new NodeDriver[1];
        SessionTable sessions = sessionsLeftOutOfSnapshots ? new SessionTable() {
            @Override
            void writeTo(java.io.DataOutputStream out) throws IOException {
                new SessionTable().writeTo(out);
            }
        } : new SessionTable();
        ByteBudget applyQueue = new ByteBudget("NodeOptions.maxApplyQueueBytes", options.maxApplyQueueBytes());
        Applier applier = new Applier(id, stateMachine, snapshots, options.snapshotEveryEntries(),
                configuration, meta -> host.driver(() -> self[0].compactTo(meta)), host::applied, applyQueue,
                () -> host.driver(() -> {}), clock, sessions);
        NodeRecovery recovered = NodeRecovery.recover(id, configuration, applier, log, options.raft(), seed);
        Transport transport = new Transport() {
            @Override
            public void start(Receiver receiver) {}

            @Override
            public void send(Message message) {
                host.send(message);
            }

            @Override
            public void close() {}
        };
        NodeDriver driver = new NodeDriver(recovered.core(), log, transport, snapshots,
                new SnapshotReceiver(id, snapshots), host::offerApplyTask, options, clock, host::snapshotIo,
                host::driver, () -> {}, host::failed, host::ready, applyQueue);
        driver.track(recovered.alignment());
        self[0] = driver;
        return new NodeParts(driver, applier, host, options, clock);
    }

    public RaftCore core() {
        return driver.core();
    }

    // ---- the driver's inputs (run them as the event loop would, then runDuties) ---------------------

    public void receive(Message m) {
        driver.receive(m);
    }

    /** A client's write or (linearizable or lease) read. */
    public void submit(boolean write, byte[] payload, boolean lease, CompletableFuture<byte[]> future) {
        driver.submit(write, payload, lease, future);
    }

    /** Opens a client session, as {@code RaftNode.openSession} does; {@code future} completes with its id (8 bytes). */
    public void openSession(CompletableFuture<byte[]> future) {
        SessionOptions o = driverOptions.sessions();
        driver.submitSessionRecord(new SessionRecord.Open(clock.wallMillis(), o.timeout().toMillis(), o.maxSessions(),
                o.maxResponseBytes()).encode(), future);
    }

    /** Command {@code sequence} of session {@code session}, as {@code RaftNode.submitInSession} sends it. */
    public void submitInSession(long session, long sequence, long ackedBelow, byte[] command,
                                CompletableFuture<byte[]> future) {
        driver.submitSessionRecord(new SessionRecord.Command(clock.wallMillis(), session, sequence, ackedBelow, command)
                .encode(), future);
    }

    /** A stale read: straight to the apply process, as {@code RaftNode.query} sends it. */
    public void submitStaleRead(byte[] query, CompletableFuture<byte[]> future) {
        submitReadAt(0, query, future);
    }

    /** A read answered once the state machine reached {@code index}, whatever the core says (for planted bugs). */
    public void submitReadAt(long index, byte[] query, CompletableFuture<byte[]> future) {
        host.offerApplyTask(new ApplyTask.ReadAt(index, query, future));
    }

    public void runDuties() {
        driver.runDuties();
    }

    /** Clock nanoseconds until the driver wants to run again for its next tick. */
    public long nanosToNextTick() {
        return driver.nanosToNextTick();
    }

    // ---- the apply process -------------------------------------------------------------------------

    /** Runs one task {@link Host#offerApplyTask} queued. */
    public void runApplyTask(Object task) throws IOException {
        applier.handle((ApplyTask) task);
    }

    /** After a batch of apply tasks, as the apply thread does: maybe take a snapshot. */
    public void afterApplyBatch() throws IOException {
        applier.afterBatch();
    }

    /** The snapshot an apply task restores the state machine from, or null for other tasks. */
    public static SnapshotMeta restores(Object task) {
        return task instanceof ApplyTask.Restore r ? r.meta() : null;
    }

    public long appliedIndex() {
        return applier.appliedIndex();
    }
}
