package io.raftkit.core;

import java.util.Map;
import java.util.TreeMap;

/**
 * The configurations a node's log holds: the one its snapshot (or the group's start) gives, and every
 * configuration entry after it. The latest one is in force, committed or not: a configuration takes
 * effect when it is appended (Raft thesis 4.1), and a node whose log loses a suffix to a new leader
 * goes back to the latest configuration the rest of its log holds.
 */
final class ConfigurationHistory {

    private Configuration base;
    private long baseIndex;
    private final TreeMap<Long, Configuration> entries = new TreeMap<>();

    ConfigurationHistory(Configuration base, long baseIndex) {
        this.base = base;
        this.baseIndex = baseIndex;
    }

    /** Notes {@code e} if it carries a configuration. */
    void record(Entry e) {
        if (e.type() == EntryType.CONFIGURATION) {
            entries.put(e.index(), Configuration.decode(e.data()));
        }
    }

    /** The log lost every entry from {@code index} on. */
    void truncateFrom(long index) {
        entries.tailMap(index, true).clear();
    }

    /** The log restarts after a snapshot whose configuration is {@code base}. */
    void reset(Configuration base, long index) {
        this.base = base;
        this.baseIndex = index;
        entries.clear();
    }

    /** The configuration in force: the latest one the log holds. */
    Configuration latest() {
        return entries.isEmpty() ? base : entries.lastEntry().getValue();
    }

    /** The index of the entry that carries {@link #latest()} (the snapshot's index for the base). */
    long latestIndex() {
        return entries.isEmpty() ? baseIndex : entries.lastKey();
    }

    /** The configuration in force at {@code index}: the latest one at or before it. */
    Configuration at(long index) {
        Map.Entry<Long, Configuration> e = entries.floorEntry(index);
        return e == null ? base : e.getValue();
    }
}
