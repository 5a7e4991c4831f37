package io.raftkit.core.sim;

import java.util.ArrayDeque;

/**
 * A node's durable snapshots, as a {@code SnapshotStore} keeps them: a snapshot being written is not
 * visible until its write completes, writes complete in the order they were started, and a crash
 * loses the writes in progress but never the snapshot already durable. Like the real stores, the
 * latest snapshot is the one with the highest index: a late, older one never replaces it (both are
 * prefixes of the same committed log, so the higher one contains the lower).
 *
 * <p>It outlives the node's crashes (it is the disk); the node decides when a write completes.
 */
final class SimSnapshotStore {

    private final ArrayDeque<SimSnapshot> writing = new ArrayDeque<>();
    private SimSnapshot durable;

    /** Starts writing {@code s}; it becomes durable at a later {@link #completeNext()}. */
    void startWrite(SimSnapshot s) {
        writing.add(s);
    }

    /** Makes the oldest write in progress durable and returns it. */
    SimSnapshot completeNext() {
        SimSnapshot s = writing.poll();
        if (s == null) {
            throw new IllegalStateException("no snapshot write in progress");
        }
        if (durable == null || s.index() > durable.index()) {
            durable = s;
        }
        return s;
    }

    /** Power cut: writes in progress are lost. */
    void crash() {
        writing.clear();
    }

    /** The latest durable snapshot, or null. */
    SimSnapshot latest() {
        return durable;
    }

    /** The index of the latest durable snapshot, 0 when there is none. */
    long durableIndex() {
        return durable == null ? 0 : durable.index();
    }

    /** The highest index durable or being written: where the next snapshot would have to go beyond. */
    long newestIndex() {
        long newest = durableIndex();
        for (SimSnapshot s : writing) {
            newest = Math.max(newest, s.index());
        }
        return newest;
    }
}
