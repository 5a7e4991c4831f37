package io.raftkit.core;

import java.util.ArrayList;
import java.util.List;

/**
 * The node's log as the core sees it: durable entries in {@link LogStorage} followed by the
 * {@link UnstableLog}, plus the commit and apply positions. Order: {@code applied <= committed <= lastIndex}.
 *
 * <p>Terms along a log never decrease, which lets conflict hints be computed by binary search.
 */
final class RaftLog {

    private final LogStorage storage;
    private final UnstableLog unstable;
    /**
     * The snapshot the log starts after. Usually storage's compaction boundary; after a snapshot is
     * installed it runs ahead of storage until the driver has compacted storage to it.
     */
    private SnapshotMeta boundary;
    private long committed;
    /** Highest index handed out for applying. */
    private long applied;
    private final ConfigurationHistory configurations;

    /**
     * @param initial the group's configuration when the log holds none (no snapshot, no configuration
     *     entry): how a group starts
     */
    RaftLog(LogStorage storage, long committed, long applied, Configuration initial) {
        this.storage = storage;
        this.boundary = storage.snapshotMeta();
        this.unstable = new UnstableLog(storage.lastIndex() + 1);
        long first = storage.firstIndex() - 1;
        this.committed = Math.max(first, Math.min(committed, storage.lastIndex()));
        this.applied = Math.max(first, Math.min(applied, this.committed));
        boolean fromSnapshot = boundary.exists() && !boundary.configuration().voters().isEmpty();
        this.configurations = new ConfigurationHistory(fromSnapshot ? boundary.configuration() : initial,
                fromSnapshot ? boundary.index() : 0);
        scanConfigurations();
    }

    /** Finds the configuration entries of the stored log, a bounded batch at a time. */
    private void scanConfigurations() {
        long from = storage.firstIndex();
        long to = storage.lastIndex() + 1;
        while (from < to) {
            List<Entry> batch = storage.entries(from, to, 4L << 20);
            if (batch.isEmpty()) {
                break;
            }
            for (Entry e : batch) {
                configurations.record(e);
            }
            from = batch.get(batch.size() - 1).index() + 1;
        }
    }

    ConfigurationHistory configurations() {
        return configurations;
    }

    long committed() {
        return committed;
    }

    long applied() {
        return applied;
    }

    long firstIndex() {
        return Math.max(storage.firstIndex(), boundary.index() + 1);
    }

    SnapshotMeta boundary() {
        return boundary;
    }

    long lastIndex() {
        // When the unstable buffer is empty, it still knows where the log ends: at its offset - 1.
        return unstable.lastIndex();
    }

    long lastTerm() {
        return term(lastIndex());
    }

    /** The highest index storage has reported durable (or held at start). */
    long persistedIndex() {
        return unstable.offset() - 1;
    }

    /**
     * Term at {@code index}, or -1 when the log cannot tell (compacted away or beyond the end). Index 0
     * has term 0.
     */
    long term(long index) {
        if (index > lastIndex()) {
            return -1;
        }
        long t = unstable.term(index);
        if (t >= 0) {
            return t;
        }
        if (index == boundary.index()) {
            return boundary.term();
        }
        if (index < boundary.index() || index < storage.firstIndex() - 1) {
            return -1;
        }
        // Storage answers for its own entries and for its compaction boundary (firstIndex - 1).
        return storage.term(index);
    }

    boolean matchTerm(long index, long term) {
        long t = term(index);
        return t >= 0 && t == term;
    }

    /** Raft's "at least as up-to-date" comparison (section 5.4.1). */
    boolean isUpToDate(long lastIndex, long lastTerm) {
        long ourTerm = lastTerm();
        return lastTerm > ourTerm || (lastTerm == ourTerm && lastIndex >= lastIndex());
    }

    /**
     * Entries in {@code [from, to)} up to {@code maxBytes} (at least one), or null when {@code from} has
     * been compacted away.
     */
    List<Entry> entries(long from, long to, long maxBytes) {
        if (from < firstIndex()) {
            return null;
        }
        to = Math.min(to, lastIndex() + 1);
        if (from >= to) {
            return List.of();
        }
        List<Entry> out;
        long bytes = 0;
        long stableEnd = Math.min(to, unstable.offset());
        if (from < stableEnd) {
            out = new ArrayList<>(storage.entries(from, stableEnd, maxBytes));
            for (Entry e : out) {
                bytes += e.sizeBytes();
            }
            if (out.size() < stableEnd - from || bytes >= maxBytes) {
                return out;
            }
        } else {
            out = new ArrayList<>();
        }
        for (long i = Math.max(from, unstable.offset()); i < to; i++) {
            Entry e = unstable.get(i);
            bytes += e.sizeBytes();
            if (!out.isEmpty() && bytes > maxBytes) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    /** Appends entries created by this node as leader. */
    void append(List<Entry> es) {
        if (es.isEmpty()) {
            return;
        }
        long first = es.get(0).index();
        if (first <= committed) {
            throw new IllegalStateException("raft invariant violated: overwriting committed index " + first
                    + " (committed " + committed + ")");
        }
        unstable.truncateAndAppend(es);
        configurations.truncateFrom(first);
        for (Entry e : es) {
            configurations.record(e);
        }
    }

    /** Appends one entry created by this node as leader, after the last. */
    void appendOne(Entry e) {
        unstable.appendOne(e);
        configurations.record(e);
    }

    /**
     * The first entry of {@code es} that the log does not already hold (a conflict or a new entry), or
     * -1 when the log holds them all.
     */
    int firstNew(List<Entry> es) {
        for (int i = 0; i < es.size(); i++) {
            Entry e = es.get(i);
            if (!matchTerm(e.index(), e.term())) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The first index holding {@code term}, searching no lower than {@code floor}, given that
     * {@code term(upTo) == term}. Binary search: terms never decrease along the log.
     */
    long firstIndexOfTerm(long term, long upTo, long floor) {
        long lo = Math.max(floor, firstIndex());
        long hi = upTo;
        while (lo < hi) {
            long mid = lo + (hi - lo) / 2;
            if (term(mid) < term) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return hi;
    }

    /** The last index at or below {@code upTo} whose term is at most {@code term}, or -1 if unknown. */
    long lastIndexWithTermAtMost(long term, long upTo) {
        long lo = firstIndex() - 1;
        long hi = Math.min(upTo, lastIndex());
        if (hi < lo || term(lo) > term) {
            return -1;
        }
        while (lo < hi) {
            long mid = lo + (hi - lo + 1) / 2;
            if (term(mid) <= term) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    void commitTo(long index) {
        if (index <= committed) {
            return;
        }
        if (index > lastIndex()) {
            throw new IllegalStateException("raft invariant violated: commit " + index + " beyond last index "
                    + lastIndex());
        }
        committed = index;
    }

    boolean hasEntriesToPersist() {
        return unstable.hasUnhanded();
    }

    List<Entry> takeEntriesToPersist() {
        return unstable.takeForPersist();
    }

    void stableTo(long index, long term) {
        unstable.stableTo(index, term);
    }

    boolean hasEntriesToApply() {
        return committed > applied;
    }

    /** Committed entries not yet handed out, up to {@code maxBytes} (at least one); marks them handed. */
    List<Entry> takeEntriesToApply(long maxBytes) {
        if (committed <= applied) {
            return List.of();
        }
        List<Entry> out = entries(applied + 1, committed + 1, maxBytes);
        if (out == null) {
            throw new IllegalStateException("committed entries after " + applied + " were compacted before being applied");
        }
        applied += out.size();
        return out;
    }

    /** The log restarts after an installed snapshot. */
    void restore(SnapshotMeta snapshot) {
        boundary = snapshot;
        configurations.reset(snapshot.configuration(), snapshot.index());
        unstable.reset(snapshot.index());
        committed = snapshot.index();
        applied = snapshot.index();
    }
}
