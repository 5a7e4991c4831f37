/**
 * The default durable storage of RaftKit: {@link io.raftkit.storage.SegmentedLog} (a
 * {@link io.raftkit.core.LogStorage}) and {@link io.raftkit.storage.FileSnapshotStore} (a
 * {@link io.raftkit.core.SnapshotStore}). The on-disk format is specified in the module's FORMAT.md.
 */
package io.raftkit.storage;
