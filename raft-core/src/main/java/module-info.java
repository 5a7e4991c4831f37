/**
 * RaftKit's core and runtime. Exports the API only: the core's seams and records ({@code io.raftkit.core},
 * its messages) and the runtime ({@code io.raftkit.node}); the replication tracker and quorum arithmetic
 * stay inside. The in-memory doubles for tests are in raft-testkit.
 */
module io.raftkit.core {
    requires org.slf4j;
    requires jdk.jfr;

    exports io.raftkit.core;
    exports io.raftkit.core.message;
    exports io.raftkit.node;
    // Not API: the simulator's door into the runtime (see SimulatedNode), for raft-testkit only.
    exports io.raftkit.node.internal to io.raftkit.testkit;

    // The flight-recorder events are read reflectively by the JDK.
    opens io.raftkit.node to jdk.jfr;
}
