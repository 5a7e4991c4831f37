package io.raftkit.core;

import java.util.Arrays;
import java.util.Objects;

/**
 * One log entry: the unit Raft replicates. Every entry carries the term of the leader that created it
 * and its position in the log.
 *
 * <p>The payload array is owned by the entry once constructed: callers must not modify it afterwards.
 * It is not copied, so that an entry can travel from the network through the log to the state machine
 * without duplicating its bytes.
 *
 * @param term the term of the leader that appended the entry (at least 1)
 * @param index the position in the log (at least 1)
 * @param type what the entry carries
 * @param data the payload; empty for a no-op, never null
 */
public record Entry(long term, long index, EntryType type, byte[] data) {

    /** Bytes an entry costs beyond its payload, used for byte-limited batching. */
    public static final int OVERHEAD_BYTES = 24;

    private static final byte[] EMPTY = new byte[0];

    public Entry {
        if (term < 1) {
            throw new IllegalArgumentException("entry term must be >= 1, got " + term);
        }
        if (index < 1) {
            throw new IllegalArgumentException("entry index must be >= 1, got " + index);
        }
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
    }

    /** A user command. */
    public static Entry command(long term, long index, byte[] data) {
        return new Entry(term, index, EntryType.COMMAND, data);
    }

    /** The empty entry a new leader appends to commit the entries of earlier terms. */
    public static Entry noop(long term, long index) {
        return new Entry(term, index, EntryType.NOOP, EMPTY);
    }

    /** Approximate size in bytes, for batching limits. */
    public long sizeBytes() {
        return (long) data.length + OVERHEAD_BYTES;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Entry e
                && e.term == term
                && e.index == index
                && e.type == type
                && Arrays.equals(e.data, data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(term, index, type) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Entry{" + index + "/" + term + " " + type + " " + data.length + "B}";
    }
}
