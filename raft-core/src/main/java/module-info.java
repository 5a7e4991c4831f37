/**
 * RaftKit's core and runtime. Exports the API only: the core's seams and records ({@code io.raftkit.core},
 * its messages), the runtime ({@code io.raftkit.node}) and the in-memory doubles for users' tests
 * ({@code io.raftkit.core.memory}); the replication tracker and quorum arithmetic stay inside.
 */
module io.raftkit.core {
    requires org.slf4j;
    requires jdk.jfr;

    exports io.raftkit.core;
    exports io.raftkit.core.message;
    exports io.raftkit.core.memory;
    exports io.raftkit.node;

    // The flight-recorder events are read reflectively by the JDK.
    opens io.raftkit.node to jdk.jfr;
}
