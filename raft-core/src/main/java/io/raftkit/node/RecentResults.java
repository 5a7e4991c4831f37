package io.raftkit.node;

import java.util.Arrays;

/**
 * The outcome of the last {@value #SIZE} entries applied, by index: their term and their result. A write
 * whose acceptance reaches the applier after its entry was applied (a follower can learn of the commit
 * before the leader's answer to its forwarded proposal) is answered from here; one older than that can
 * only be told its outcome is unknown.
 */
final class RecentResults {

    static final int SIZE = 4096;

    private final long[] index = new long[SIZE];
    private final long[] term = new long[SIZE];
    /** A byte array, or the {@link RaftException} the write's future fails with (a session's refusal). */
    private final Object[] result = new Object[SIZE];

    void record(long entryIndex, long entryTerm, Object entryResult) {
        int slot = slot(entryIndex);
        index[slot] = entryIndex;
        term[slot] = entryTerm;
        result[slot] = entryResult;
    }

    /** Whether the entry at {@code entryIndex} is still remembered. */
    boolean holds(long entryIndex) {
        return index[slot(entryIndex)] == entryIndex;
    }

    /** The term of the remembered entry at {@code entryIndex}; only when {@link #holds} it. */
    long term(long entryIndex) {
        return term[slot(entryIndex)];
    }

    /** The result of the remembered entry at {@code entryIndex}; only when {@link #holds} it. */
    Object result(long entryIndex) {
        return result[slot(entryIndex)];
    }

    /** A snapshot replaced the state: what was remembered no longer says what the entries did here. */
    void forget() {
        Arrays.fill(index, 0);
        Arrays.fill(result, null);
    }

    private static int slot(long entryIndex) {
        return (int) (entryIndex % SIZE);
    }
}
