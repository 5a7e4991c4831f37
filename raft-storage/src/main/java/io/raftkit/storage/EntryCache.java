package io.raftkit.storage;

import io.raftkit.core.Entry;

/**
 * The newest entries of the log, held in memory: every entry not yet written to its segment, plus
 * written ones up to a byte budget. It always covers a suffix of the log, so a read below
 * {@link #firstIndex()} goes to the files and a read at or above it never does.
 */
final class EntryCache {

    private Entry[] entries = new Entry[1024];
    private long[] seqs = new long[1024];
    private int head;
    private int size;
    private long firstIndex;
    private long bytes;

    EntryCache(long firstIndex) {
        this.firstIndex = firstIndex;
    }

    /** The lowest cached index; {@code lastIndex + 1} of the log when the cache is empty. */
    long firstIndex() {
        return firstIndex;
    }

    /** Adds the entry following the last cached one, written by the operation numbered {@code seq}. */
    void add(Entry e, long seq) {
        if (size == entries.length) {
            grow();
        }
        int slot = (head + size) & (entries.length - 1);
        entries[slot] = e;
        seqs[slot] = seq;
        size++;
        bytes += e.data().length;
    }

    Entry get(long index) {
        return entries[(head + (int) (index - firstIndex)) & (entries.length - 1)];
    }

    /** Drops {@code index} and everything after it; the next entry added has that index. */
    void truncateFrom(long index) {
        if (index <= firstIndex) {
            clear(index);
            return;
        }
        int keep = (int) (index - firstIndex);
        while (size > keep) {
            int slot = (head + size - 1) & (entries.length - 1);
            bytes -= entries[slot].data().length;
            entries[slot] = null;
            size--;
        }
    }

    /** Drops everything up to and including {@code index}. */
    void dropThrough(long index) {
        while (size > 0 && firstIndex <= index) {
            removeFirst();
        }
        if (size == 0 && firstIndex <= index) {
            firstIndex = index + 1;
        }
    }

    /** Drops everything; the next entry added has index {@code nextIndex}. */
    void clear(long nextIndex) {
        while (size > 0) {
            removeFirst();
        }
        firstIndex = nextIndex;
        bytes = 0;
    }

    /** Drops the oldest entries written by operations up to {@code writtenSeq} while over {@code budget}. */
    void evict(long writtenSeq, long budget) {
        while (size > 0 && bytes > budget && seqs[head] <= writtenSeq) {
            removeFirst();
        }
    }

    private void removeFirst() {
        bytes -= entries[head].data().length;
        entries[head] = null;
        head = (head + 1) & (entries.length - 1);
        size--;
        firstIndex++;
    }

    private void grow() {
        Entry[] e = new Entry[entries.length * 2];
        long[] s = new long[entries.length * 2];
        for (int i = 0; i < size; i++) {
            int slot = (head + i) & (entries.length - 1);
            e[i] = entries[slot];
            s[i] = seqs[slot];
        }
        entries = e;
        seqs = s;
        head = 0;
    }
}
