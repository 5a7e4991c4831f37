package io.raftkit.core.tracker;

/**
 * A bounded window of append messages sent to one follower and not yet acknowledged, capped both by
 * count and by bytes. A ring buffer of (last index, bytes) pairs, grown only when needed.
 *
 * <p>Callers check {@link #full()} before {@link #add}; adding to a full window is a programming error.
 */
public final class Inflights {

    private final int maxCount;
    private final long maxBytes;
    private long[] lastIndexes = new long[4];
    private long[] sizes = new long[4];
    private int start;
    private int count;
    private long bytes;

    public Inflights(int maxCount, long maxBytes) {
        if (maxCount < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("inflight limits must be positive, got " + maxCount + " / " + maxBytes);
        }
        this.maxCount = maxCount;
        this.maxBytes = maxBytes;
    }

    /** True when no further message may be sent until some are acknowledged. */
    public boolean full() {
        return count >= maxCount || bytes >= maxBytes;
    }

    /** Records a message whose last entry is {@code lastIndex}; indexes must increase. */
    public void add(long lastIndex, long messageBytes) {
        if (full()) {
            throw new IllegalStateException("inflight window is full (" + count + " messages, " + bytes + " bytes)");
        }
        if (count > 0 && lastIndexes[(start + count - 1) % lastIndexes.length] >= lastIndex) {
            throw new IllegalStateException("inflight indexes must increase: " + lastIndex);
        }
        if (count == lastIndexes.length) {
            grow();
        }
        int slot = (start + count) % lastIndexes.length;
        lastIndexes[slot] = lastIndex;
        sizes[slot] = messageBytes;
        count++;
        bytes += messageBytes;
    }

    /** Frees every message whose last index is at or below {@code index} (they are acknowledged). */
    public void freeLE(long index) {
        while (count > 0 && lastIndexes[start] <= index) {
            bytes -= sizes[start];
            start = (start + 1) % lastIndexes.length;
            count--;
        }
        if (count == 0) {
            start = 0;
        }
    }

    /** Frees the oldest message, as if acknowledged (it was probably lost). */
    public void freeFirst() {
        if (count > 0) {
            freeLE(lastIndexes[start]);
        }
    }

    /** Forgets every message (the follower changed state). */
    public void reset() {
        start = 0;
        count = 0;
        bytes = 0;
    }

    public int count() {
        return count;
    }

    public long bytes() {
        return bytes;
    }

    private void grow() {
        int newSize = Math.min(Math.max(lastIndexes.length * 2, 4), Math.max(maxCount, 4));
        long[] li = new long[newSize];
        long[] sz = new long[newSize];
        for (int i = 0; i < count; i++) {
            li[i] = lastIndexes[(start + i) % lastIndexes.length];
            sz[i] = sizes[(start + i) % sizes.length];
        }
        lastIndexes = li;
        sizes = sz;
        start = 0;
    }
}
