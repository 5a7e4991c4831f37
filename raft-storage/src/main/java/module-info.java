/**
 * RaftKit's storage: the segmented log and snapshot files ({@code io.raftkit.storage}) and the file-system
 * seam they write through ({@code io.raftkit.storage.fs}, which tests use to inject faults). The segment
 * format and the tools stay inside.
 */
module io.raftkit.storage {
    requires transitive io.raftkit.core;
    requires org.slf4j;

    exports io.raftkit.storage;
    exports io.raftkit.storage.fs;
}
