package io.raftkit.core;

import java.util.Objects;

/**
 * Describes a snapshot: the state machine state after applying every entry up to and including
 * {@code index}.
 *
 * <p>It is also the log's compaction boundary: once a log prefix is dropped up to a snapshot, the log
 * still answers the term at {@code index} from here, so that log matching works at the boundary.
 *
 * @param index the last log index the snapshot includes (0 for "no snapshot")
 * @param term the term of the entry at {@code index} (0 for "no snapshot")
 * @param configuration the group configuration in force at {@code index}
 */
public record SnapshotMeta(long index, long term, Configuration configuration) {

    /** No snapshot: the log starts at index 1. */
    public static final SnapshotMeta NONE = new SnapshotMeta(0, 0, Configuration.EMPTY);

    public SnapshotMeta {
        if (index < 0 || term < 0) {
            throw new IllegalArgumentException("snapshot index and term must be >= 0, got " + index + "/" + term);
        }
        if ((index == 0) != (term == 0)) {
            throw new IllegalArgumentException("snapshot index and term must both be 0 or both be positive, got "
                    + index + "/" + term);
        }
        Objects.requireNonNull(configuration, "configuration");
    }

    /** True when this describes a real snapshot. */
    public boolean exists() {
        return index > 0;
    }
}
