package io.raftkit.core.sim;

import io.raftkit.core.Configuration;
import io.raftkit.core.Entry;
import io.raftkit.core.EntryType;
import io.raftkit.core.SnapshotMeta;
import java.util.ArrayList;
import java.util.List;

/**
 * A node's state machine and what it applied at each index. After a restore from a snapshot the
 * indexes up to the snapshot's were not applied one by one here: what each of them did is unknown.
 */
final class AppliedState {

    /** What was applied at an index: its term, the operation it carried (or -1), and the CAS result. */
    record Applied(long term, long opId, boolean changed) {}

    private KvStateMachine kv = new KvStateMachine();
    private long index;
    private long term;
    private long restoredIndex;
    /** applied.get(i): the entry at restoredIndex + 1 + i. */
    private final List<Applied> applied = new ArrayList<>();

    /** Applies the entry after {@link #index()}; the caller checks that it is. */
    Applied apply(Entry e) {
        Applied a;
        if (e.type() == EntryType.COMMAND) {
            KvCommand c = KvCommand.decode(e.data());
            a = new Applied(e.term(), c.opId(), kv.apply(c));
        } else {
            a = new Applied(e.term(), -1, false);
        }
        applied.add(a);
        index = e.index();
        term = e.term();
        return a;
    }

    /** Replaces everything with the snapshot's state. */
    void restore(SimSnapshot s) {
        kv = KvStateMachine.fromImage(s.image());
        index = s.index();
        term = s.meta().term();
        restoredIndex = s.index();
        applied.clear();
    }

    /** A snapshot of the state now. */
    SimSnapshot snapshot(Configuration configuration) {
        return new SimSnapshot(new SnapshotMeta(index, term, configuration), kv.image());
    }

    /** What was applied at {@code i}, or null when that is unknown (restored) or not yet applied. */
    Applied at(long i) {
        return i <= restoredIndex || i > index ? null : applied.get((int) (i - restoredIndex - 1));
    }

    /** The index the state machine reflects. */
    long index() {
        return index;
    }

    /** The index of the snapshot last restored, or 0. */
    long restoredIndex() {
        return restoredIndex;
    }

    String get(String key) {
        return kv.get(key);
    }

    byte[] image() {
        return kv.image();
    }
}
