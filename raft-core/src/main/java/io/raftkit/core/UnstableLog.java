package io.raftkit.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Entries the core has created or accepted but storage has not yet reported durable. The suffix from
 * {@code inProgress} on has not even been handed to storage yet.
 *
 * <p>Indexes: the entry at list position {@code i} has index {@code offset + i}; entries below
 * {@code offset} live in {@link LogStorage}. Package-private: only {@link RaftLog} uses it.
 */
final class UnstableLog {

    private long offset;
    private ArrayList<Entry> entries = new ArrayList<>();
    /** The first index not yet handed to storage. {@code offset <= inProgress <= offset + size}. */
    private long inProgress;

    UnstableLog(long offset) {
        this.offset = offset;
        this.inProgress = offset;
    }

    long offset() {
        return offset;
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Last index held here, or {@code offset - 1} when empty. */
    long lastIndex() {
        return offset + entries.size() - 1;
    }

    /** Term at {@code index} if held here, else -1. */
    long term(long index) {
        if (index < offset || index > lastIndex()) {
            return -1;
        }
        return entries.get((int) (index - offset)).term();
    }

    Entry get(long index) {
        return entries.get((int) (index - offset));
    }

    /**
     * Appends {@code es}, replacing whatever is held at and after its first index. If that index is
     * below {@code offset}, the stable log's suffix is being replaced too: the next write to storage
     * starts there and storage drops its own conflicting suffix.
     */
    void truncateAndAppend(List<Entry> es) {
        long first = es.get(0).index();
        if (first == offset + entries.size()) {
            entries.addAll(es);
        } else if (first <= offset) {
            offset = first;
            entries = new ArrayList<>(es);
            inProgress = offset;
        } else {
            entries.subList((int) (first - offset), entries.size()).clear();
            entries.addAll(es);
            inProgress = Math.min(inProgress, first);
        }
    }

    /** Appends one entry right after the last (the leader's hot path: no list to build). */
    void appendOne(Entry e) {
        if (e.index() != offset + entries.size()) {
            throw new IllegalStateException("entry " + e + " does not follow index " + lastIndex());
        }
        entries.add(e);
    }

    /** Entries not yet handed to storage; marks them as handed. */
    List<Entry> takeForPersist() {
        if (inProgress > lastIndex()) {
            return List.of();
        }
        List<Entry> out = List.copyOf(entries.subList((int) (inProgress - offset), entries.size()));
        inProgress = lastIndex() + 1;
        return out;
    }

    boolean hasUnhanded() {
        return inProgress <= lastIndex();
    }

    /**
     * Storage reports entries up to {@code index} with {@code term} durable: they leave this buffer. A
     * report about an entry that has since been replaced (its term differs) is ignored; the replacing
     * write will report for itself.
     */
    void stableTo(long index, long term) {
        if (term(index) != term) {
            return;
        }
        entries.subList(0, (int) (index + 1 - offset)).clear();
        if (entries.isEmpty()) {
            entries = new ArrayList<>();
        }
        offset = index + 1;
        inProgress = Math.max(inProgress, offset);
    }

    /** Drops everything: the log restarts after a snapshot at {@code snapshotIndex}. */
    void reset(long snapshotIndex) {
        entries = new ArrayList<>();
        offset = snapshotIndex + 1;
        inProgress = offset;
    }
}
