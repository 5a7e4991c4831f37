package io.raftkit.testkit.sim;

import io.raftkit.core.Entry;
import io.raftkit.core.StateMachine;
import java.util.List;

/**
 * What a {@link Simulation} replicates and what its clients do: RaftKit's own key-value campaign
 * ({@code Workload}, in raft-core's tests), or a user's state machine with a model of it. The simulation owns the nodes, the
 * network, the disks, the faults and the Raft-level checks; the application owns the state machines,
 * the clients, their history and the checks on it.
 */
interface SimApplication {

    /** A new state machine for an incarnation of node {@code node}. */
    StateMachine stateMachine(String node);

    /** A new state machine that replays the committed log for the checks (it reports to no one). */
    StateMachine replica();

    /** A state machine's snapshot as text for a failure message. */
    String describe(byte[] image);

    /** The clients start (once, after the nodes). */
    void start();

    /** The liveness phase: clients finish what they started and begin nothing new. */
    void stopIssuing();

    /** Requests still waiting for an answer. */
    int inFlight();

    /** A node crashed while it held request {@code requestId}: no answer will come. */
    void lostWithNode(long requestId);

    /**
     * A liveness probe: a write ({@code write}) or a linearizable read through {@code node}, outside the
     * clients' own work. Returns a handle for {@link #probeOutcome}, or -1 when the node is down.
     */
    long probe(String node, boolean write);

    /** How a probe ended. */
    enum ProbeOutcome { OPEN, OK, FAILED }

    ProbeOutcome probeOutcome(long handle);

    /** A probe for a failure message. */
    String describeProbe(long handle);

    /**
     * Queries to ask every node's state machine and a replay of the committed log at the end of a run,
     * when all have applied the same log: any answer that differs is a state the snapshots do not show
     * (a snapshot that leaves state out compares equal to a replay that leaves it out too).
     */
    default List<byte[]> endQueries() {
        return List.of();
    }

    /** The checks on the history at the end of a run (the committed log is final): null, or what failed. */
    String checkAtEnd(List<Entry> committed);

    /** The client side of a run's result line. */
    record Summary(int operations, int ok, int failed, int indeterminate, int timeouts, long fingerprint) {}

    Summary summary();
}
