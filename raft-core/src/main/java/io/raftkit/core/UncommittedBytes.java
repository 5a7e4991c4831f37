package io.raftkit.core;

/**
 * Bytes of the entries a leader appended in its term and has not yet committed: what followers that
 * cannot keep up make it hold (in its log, its caches and its pending requests). A ring of the running
 * byte total after each appended index, so that committing up to an index subtracts exactly what it
 * covers without reading the entries again; 8 bytes per uncommitted entry.
 */
final class UncommittedBytes {

    private long[] totals = new long[64];
    private int head;
    private int size;
    /** The index whose running total is at {@code head}. */
    private long firstIndex;
    private long appendedTotal;
    private long committedTotal;

    /** @param nextIndex the index of the leader's first entry (its no-op) */
    UncommittedBytes(long nextIndex) {
        this.firstIndex = nextIndex;
    }

    /** The leader appended {@code bytes} at {@code index} (indexes it skipped, entries of no size, count 0). */
    void appended(long index, long bytes) {
        while (firstIndex + size < index) {
            push(appendedTotal);
        }
        appendedTotal += bytes;
        push(appendedTotal);
    }

    private void push(long total) {
        if (size == totals.length) {
            long[] grown = new long[totals.length * 2];
            for (int i = 0; i < size; i++) {
                grown[i] = totals[(head + i) % totals.length];
            }
            totals = grown;
            head = 0;
        }
        totals[(head + size) % totals.length] = total;
        size++;
    }

    /** Everything up to {@code index} is committed. */
    void committed(long index) {
        while (size > 0 && firstIndex <= index) {
            committedTotal = totals[head];
            head = (head + 1) % totals.length;
            size--;
            firstIndex++;
        }
    }

    /** Bytes appended and not yet committed. */
    long bytes() {
        return appendedTotal - committedTotal;
    }
}
