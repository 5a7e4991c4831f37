package io.raftkit.node.internal;

import io.raftkit.core.Configuration;
import io.raftkit.core.Entry;
import io.raftkit.core.LogStorage;
import io.raftkit.core.RaftCore;
import io.raftkit.core.Ready;
import io.raftkit.core.SnapshotMeta;
import io.raftkit.core.SnapshotStore;
import io.raftkit.core.StateMachine;
import io.raftkit.core.message.Message;
import io.raftkit.node.Clock;
import io.raftkit.node.NodeOptions;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * Not API: the door through which raft-testkit's deterministic simulator drives one node's production
 * runtime without its threads. A {@code SimulatedNode} is the very node driver, applier, snapshot sender
 * and receiver that {@code RaftNode} runs, recovered at start the way {@code RaftNode} recovers; the
 * simulator decides when each part runs (it plays the event loop, the apply thread and the snapshot I/O
 * thread on simulated time) through the {@link Host} it supplies.
 *
 * <p>On the module path this package is exported to {@code io.raftkit.testkit} only. It may change in
 * any release.
 */
public interface SimulatedNode {

    /** Where the parts' work goes: the simulator's stand-ins for the runtime's threads. */
    interface Host {
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

    /** A defect the simulator's own tests plant, to prove that its checks find it; never set otherwise. */
    enum PlantedDefect {
        /** The node's snapshots hold an empty client-session table, so a node restored from one applies a retried command again. */
        SESSIONS_LEFT_OUT_OF_SNAPSHOTS
    }

    /**
     * Recovers a node from {@code log} and {@code snapshots} (restoring {@code stateMachine} from the
     * latest snapshot first), as {@code RaftNode} does, and wires its parts to {@code host}.
     */
    static SimulatedNode start(String id, Configuration configuration, StateMachine stateMachine, LogStorage log,
                               SnapshotStore snapshots, NodeOptions options, Clock clock, long seed, Host host,
                               PlantedDefect defect) throws IOException {
        return Factory.get().start(id, configuration, stateMachine, log, snapshots, options, clock, seed, host, defect);
    }

    /** The snapshot an apply task restores the state machine from, or null for other tasks. */
    static SnapshotMeta restores(Object task) {
        return Factory.get().restores(task);
    }

    /** A client-session table to replay a committed log into, as every node keeps one. */
    static SessionReplay sessionReplay() {
        return Factory.get().sessionReplay();
    }

    /** The user's state in a snapshot RaftKit wrote: what follows the session table (all of it without one). */
    static byte[] userPart(byte[] snapshot) {
        return Factory.get().userPart(snapshot);
    }

    /**
     * A client-session table replayed from a committed log, for checkers: what a snapshot taken at an
     * index must start with, the sessions included.
     */
    interface SessionReplay {
        /** Applies a committed session entry as every node does ({@code stateMachine} sees new commands). */
        void apply(long index, byte[] data, StateMachine stateMachine);

        /** The bytes a snapshot taken now starts with: the marker and this table. */
        byte[] snapshotPrefix();

        /** Sessions open in the replayed table. */
        int open();
    }

    RaftCore core();

    // ---- the driver's inputs (run them as the event loop would, then runDuties) ---------------------

    void receive(Message m);

    /** The transport cannot reach {@code peer} now (a connection lost or refused). */
    void peerUnreachable(String peer);

    /** A client's write or (linearizable or lease) read. */
    void submit(boolean write, byte[] payload, boolean lease, CompletableFuture<byte[]> future);

    /** Opens a client session, as {@code RaftNode.openSession} does; {@code future} completes with its id (8 bytes). */
    void openSession(CompletableFuture<byte[]> future);

    /** Command {@code sequence} of session {@code session}, as {@code RaftNode.submitInSession} sends it. */
    void submitInSession(long session, long sequence, long ackedBelow, byte[] command, CompletableFuture<byte[]> future);

    /** A stale read: straight to the apply process, as {@code RaftNode.query} sends it. */
    void submitStaleRead(byte[] query, CompletableFuture<byte[]> future);

    /** A read answered once the state machine reached {@code index}, whatever the core says (for planted bugs). */
    void submitReadAt(long index, byte[] query, CompletableFuture<byte[]> future);

    /** What the event loop does after each input: the driver's duties (ticks that fell due, Ready). */
    void runDuties();

    /** Clock nanoseconds until the driver wants to run again for its next tick. */
    long nanosToNextTick();

    // ---- the apply process -------------------------------------------------------------------------

    /** Runs one task {@link Host#offerApplyTask} queued. */
    void runApplyTask(Object task) throws IOException;

    long appliedIndex();

    /**
     * How the runtime's package hands its implementation to this one (the JDK's "shared secrets"): the
     * implementation class registers itself when it is initialized, which {@link #get} forces.
     */
    final class Factory {
        private static volatile Implementation implementation;

        private Factory() {}

        /** Called once, by the runtime's implementation class. */
        public static void register(Implementation impl) {
            implementation = impl;
        }

        static Implementation get() {
            Implementation impl = implementation;
            if (impl == null) {
                try {
                    Class.forName("io.raftkit.node.NodeParts", true, SimulatedNode.class.getClassLoader());
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException("raft-core's simulated runtime is missing", e);
                }
                impl = implementation;
            }
            return impl;
        }
    }

    /** What the runtime's package implements. */
    interface Implementation {
        SimulatedNode start(String id, Configuration configuration, StateMachine stateMachine, LogStorage log,
                            SnapshotStore snapshots, NodeOptions options, Clock clock, long seed, Host host,
                            PlantedDefect defect) throws IOException;

        SnapshotMeta restores(Object task);

        SessionReplay sessionReplay();

        byte[] userPart(byte[] snapshot);
    }
}
