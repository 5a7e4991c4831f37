/** Binds a RaftKit node's metrics to a Micrometer registry. */
module io.raftkit.metrics.micrometer {
    requires transitive io.raftkit.core;
    requires transitive micrometer.core;

    exports io.raftkit.metrics.micrometer;
}
