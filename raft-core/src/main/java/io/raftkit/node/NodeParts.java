package io.raftkit.node;

import io.raftkit.core.Configuration;
import io.raftkit.core.LogStorage;
import io.raftkit.core.RaftCore;
import io.raftkit.core.SnapshotMeta;
import io.raftkit.core.SnapshotStore;
import io.raftkit.core.StateMachine;
import io.raftkit.core.Transport;
import io.raftkit.core.message.Message;
import io.raftkit.node.internal.SimulatedNode;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * The production runtime of one node, without its threads: the very {@link NodeDriver}, {@link Applier},
 * {@code SnapshotSender} and {@code SnapshotReceiver} that {@link RaftNode} runs, recovered at start by
 * the same {@link NodeRecovery}, behind the {@link SimulatedNode} door that raft-testkit's simulator
 * drives on simulated time. Package-private: it registers itself with {@link SimulatedNode.Factory} when
 * initialized, so that the door reaches it without making it API.
 */
final class NodeParts implements SimulatedNode {

    static {
        SimulatedNode.Factory.register(new SimulatedNode.Implementation() {
            @Override
            public SimulatedNode start(String id, Configuration configuration, StateMachine stateMachine, LogStorage log,
                                       SnapshotStore snapshots, NodeOptions options, Clock clock, long seed, Host host,
                                       PlantedDefect defect) throws IOException {
                return NodeParts.start(id, configuration, stateMachine, log, snapshots, options, clock, seed, host,
                        defect == PlantedDefect.SESSIONS_LEFT_OUT_OF_SNAPSHOTS);
            }

            @Override
            public SnapshotMeta restores(Object task) {
                return task instanceof ApplyTask.Restore r ? r.meta() : null;
            }

            @Override
            public SessionReplay sessionReplay() {
                return new SessionImages();
            }

            @Override
            public byte[] userPart(byte[] snapshot) {
                return SessionImages.userPart(snapshot);
            }
        });
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
     * Recovers a node as {@link RaftNode} does and wires its parts to {@code host}; with
     * {@code sessionsLeftOutOfSnapshots}, the planted defect {@link PlantedDefect#SESSIONS_LEFT_OUT_OF_SNAPSHOTS}.
     */
    private static NodeParts start(String id, Configuration configuration, StateMachine stateMachine,
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

    @Override
    public RaftCore core() {
        return driver.core();
    }

    @Override
    public void receive(Message m) {
        driver.receive(m);
    }

    @Override
    public void peerUnreachable(String peer) {
        driver.peerUnreachable(peer);
    }

    @Override
    public void submit(boolean write, byte[] payload, boolean lease, CompletableFuture<byte[]> future) {
        driver.submit(write, payload, lease, future, clock.nanoTime());
    }

    @Override
    public void openSession(CompletableFuture<byte[]> future) {
        SessionOptions o = driverOptions.sessions();
        driver.submitSessionRecord(new SessionRecord.Open(clock.wallMillis(), o.timeout().toMillis(), o.maxSessions(),
                o.maxResponseBytes()).encode(), future);
    }

    @Override
    public void submitInSession(long session, long sequence, long ackedBelow, byte[] command,
                                CompletableFuture<byte[]> future) {
        driver.submitSessionRecord(new SessionRecord.Command(clock.wallMillis(), session, sequence, ackedBelow, command)
                .encode(), future);
    }

    @Override
    public void submitStaleRead(byte[] query, CompletableFuture<byte[]> future) {
        submitReadAt(0, query, future);
    }

    @Override
    public void submitReadAt(long index, byte[] query, CompletableFuture<byte[]> future) {
        host.offerApplyTask(new ApplyTask.ReadAt(index, query, future));
    }

    @Override
    public void runDuties() {
        driver.runDuties();
    }

    @Override
    public long nanosToNextTick() {
        return driver.nanosToNextTick();
    }

    @Override
    public void runApplyTask(Object task) throws IOException {
        applier.handle((ApplyTask) task);
    }

    @Override
    public long appliedIndex() {
        return applier.appliedIndex();
    }
}
