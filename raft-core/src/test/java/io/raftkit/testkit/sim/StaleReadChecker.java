package io.raftkit.testkit.sim;

import io.raftkit.core.Entry;
import io.raftkit.core.EntryType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Stale reads may be old, but each must return exactly the value its key had in the committed log
 * after the index its node had applied: never a value that was not committed, nor one from a
 * different history. Replays the committed log once, answering the reads in order of applied index.
 */
final class StaleReadChecker {

    private StaleReadChecker() {}

    /** Returns null when every stale read is explained, else what is wrong. */
    static String check(List<Workload.StaleRead> reads, List<Entry> committedLog) {
        List<Workload.StaleRead> sorted = new ArrayList<>(reads);
        sorted.sort(Comparator.comparingLong(Workload.StaleRead::appliedIndex));
        SimStateMachine replay = new SimStateMachine("replay", null);
        io.raftkit.node.internal.SimulatedNode.SessionReplay sessions = io.raftkit.node.internal.SimulatedNode.sessionReplay();
        int next = 0; // entries applied so far
        for (Workload.StaleRead r : sorted) {
            if (r.appliedIndex() > committedLog.size()) {
                return "stale read " + r.op() + " answered at applied index " + r.appliedIndex()
                        + ", beyond the " + committedLog.size() + " entries known committed";
            }
            while (next < r.appliedIndex()) {
                Entry e = committedLog.get(next++);
                if (e.type() == EntryType.COMMAND) {
                    replay.apply(e.index(), e.data());
                } else if (e.type() == EntryType.SESSION) {
                    sessions.apply(e.index(), e.data(), replay);
                }
            }
            String expected = replay.get(r.op().key());
            if (!java.util.Objects.equals(expected, r.op().readValue())) {
                return "stale read " + r.op() + " answered at applied index " + r.appliedIndex() + " returned "
                        + r.op().readValue() + ", but the committed log gives " + expected + " there";
            }
        }
        return null;
    }
}
