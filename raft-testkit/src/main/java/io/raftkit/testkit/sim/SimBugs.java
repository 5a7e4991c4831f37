package io.raftkit.testkit.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * The simulator's own bugs, which break what the runtime relies on from its surroundings, planted to
 * prove that the checks find them (a checker that never fails proves nothing). Bugs in the core itself
 * are planted through the simulation's core hook by RaftKit's own campaign.
 */
final class SimBugs {

    /**
     * A node's clock stops while its process is stalled, so that after a stall the runtime catches up
     * with nothing: its ticks, and the lease counted in them, stand still for the whole stall. This is
     * the old event loop's defect (it counted a lease in ticks it had not delivered yet) and what a
     * machine whose monotonic clock stops while suspended does.
     */
    static final String CLOCK_STOPS_WHILE_STALLED = "CLOCK_STOPS_WHILE_STALLED";

    /**
     * A disk that acknowledges a write as soon as it takes it, before it is durable: append
     * acknowledgements and the leader's own vote for a commit go out on data a crash can still lose.
     */
    static final String ACK_BEFORE_DURABLE = "ACK_BEFORE_DURABLE";

    /**
     * A node that believes it leads answers linearizable and lease reads from its state at its commit
     * index at once, without confirming with a heartbeat round that it still leads.
     */
    static final String READ_WITHOUT_HEARTBEAT_ROUND = "READ_WITHOUT_HEARTBEAT_ROUND";

    /**
     * Snapshots hold an empty client-session table: a node restored from one (a restart, an install)
     * forgets which session commands it applied, and applies a retried one again.
     */
    static final String SESSIONS_LEFT_OUT_OF_SNAPSHOTS = "SESSIONS_LEFT_OUT_OF_SNAPSHOTS";

    /**
     * Disk-stall detection is off ({@code NodeOptions.diskStallTimeout} zero): a leader whose log writes
     * hang keeps leading, heartbeats and all, and the group cannot move leadership off the sick disk.
     */
    static final String LEADER_IGNORES_STALLED_DISK = "LEADER_IGNORES_STALLED_DISK";

    private SimBugs() {}

    static List<String> names() {
        List<String> all = new ArrayList<>();
        all.add(ACK_BEFORE_DURABLE);
        all.add(READ_WITHOUT_HEARTBEAT_ROUND);
        all.add(CLOCK_STOPS_WHILE_STALLED);
        all.add(SESSIONS_LEFT_OUT_OF_SNAPSHOTS);
        all.add(LEADER_IGNORES_STALLED_DISK);
        return all;
    }
}
