package io.raftkit.testkit.sim;

import io.raftkit.core.Entry;
import io.raftkit.core.HardState;
import io.raftkit.core.SnapshotMeta;
import java.util.ArrayList;
import java.util.List;

/**
 * The contents of a simulated disk: log entries after a compaction boundary, and the hard state.
 * {@link SimDisk} keeps two: what writes have been accepted (what reads see) and what is durable (what
 * survives a crash). Both change only through the same methods, so they cannot drift in meaning.
 */
final class DiskImage {

    private final ArrayList<Entry> entries; // entries.get(i).index() == boundary.index() + 1 + i
    private SnapshotMeta boundary;
    private HardState hardState;

    DiskImage() {
        this(new ArrayList<>(), SnapshotMeta.NONE, HardState.EMPTY);
    }

    private DiskImage(ArrayList<Entry> entries, SnapshotMeta boundary, HardState hardState) {
        this.entries = entries;
        this.boundary = boundary;
        this.hardState = hardState;
    }

    DiskImage copy() {
        return new DiskImage(new ArrayList<>(entries), boundary, hardState);
    }

    long firstIndex() {
        return boundary.index() + 1;
    }

    long lastIndex() {
        return boundary.index() + entries.size();
    }

    /** Term at {@code index}, or -1 when the image does not hold it. Never throws: checkers probe freely. */
    long termOrMissing(long index) {
        if (index == boundary.index()) {
            return boundary.term();
        }
        if (index < firstIndex() || index > lastIndex()) {
            return -1;
        }
        return entries.get(offset(index)).term();
    }

    long term(long index) {
        long t = termOrMissing(index);
        if (t < 0) {
            throw new IndexOutOfBoundsException("term index " + index + " outside [" + (firstIndex() - 1) + ", "
                    + lastIndex() + "]");
        }
        return t;
    }

    Entry entry(long index) {
        return entries.get(offset(index));
    }

    List<Entry> entries(long fromIndex, long toIndexExclusive, long maxBytes) {
        if (fromIndex > toIndexExclusive) {
            throw new IndexOutOfBoundsException("entries range [" + fromIndex + ", " + toIndexExclusive + ") is reversed");
        }
        checkRange(fromIndex, firstIndex(), lastIndex() + 1, "entries from");
        checkRange(toIndexExclusive, firstIndex(), lastIndex() + 1, "entries to");
        List<Entry> out = new ArrayList<>();
        long bytes = 0;
        for (long i = fromIndex; i < toIndexExclusive; i++) {
            Entry e = entries.get(offset(i));
            bytes += e.sizeBytes();
            if (!out.isEmpty() && bytes > maxBytes) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    HardState hardState() {
        return hardState;
    }

    SnapshotMeta boundary() {
        return boundary;
    }

    /** Throws IllegalArgumentException, changing nothing, when {@code newEntries} cannot be appended. */
    void checkAppend(List<Entry> newEntries) {
        if (newEntries.isEmpty()) {
            return;
        }
        long first = newEntries.get(0).index();
        if (first < firstIndex() || first > lastIndex() + 1) {
            throw new IllegalArgumentException("append at index " + first + " outside [" + firstIndex() + ", "
                    + (lastIndex() + 1) + "]");
        }
        for (int i = 1; i < newEntries.size(); i++) {
            if (newEntries.get(i).index() != first + i) {
                throw new IllegalArgumentException("appended entries are not consecutive at " + newEntries.get(i));
            }
        }
    }

    void append(List<Entry> newEntries) {
        checkAppend(newEntries);
        if (newEntries.isEmpty()) {
            return;
        }
        entries.subList(offset(newEntries.get(0).index()), entries.size()).clear();
        entries.addAll(newEntries);
    }

    void checkTruncate(long fromIndex) {
        if (fromIndex < firstIndex() || fromIndex > lastIndex() + 1) {
            throw new IllegalArgumentException("truncate from " + fromIndex + " outside [" + firstIndex() + ", "
                    + (lastIndex() + 1) + "]");
        }
    }

    void truncateSuffix(long fromIndex) {
        checkTruncate(fromIndex);
        entries.subList(offset(fromIndex), entries.size()).clear();
    }

    void compact(SnapshotMeta snapshot) {
        if (snapshot.index() <= boundary.index()) {
            return;
        }
        boolean keepsSuffix = snapshot.index() <= lastIndex() && term(snapshot.index()) == snapshot.term();
        if (keepsSuffix) {
            entries.subList(0, offset(snapshot.index()) + 1).clear();
        } else {
            entries.clear();
        }
        boundary = snapshot;
    }

    void saveHardState(HardState state) {
        hardState = state;
    }

    private int offset(long index) {
        return (int) (index - boundary.index() - 1);
    }

    private static void checkRange(long index, long lo, long hi, String what) {
        if (index < lo || index > hi) {
            throw new IndexOutOfBoundsException(what + " index " + index + " outside [" + lo + ", " + hi + "]");
        }
    }
}
