package io.raftkit.core;

import java.util.SplittableRandom;

/**
 * Counts ticks since the node last heard from a leader (or started an election), against a timeout
 * drawn at random from [T, 2T) at every reset so that candidates rarely collide.
 */
final class ElectionTimer {

    private final int base;
    private final SplittableRandom random;
    private int elapsed;
    private int timeout;

    ElectionTimer(int base, SplittableRandom random) {
        this.base = base;
        this.random = random;
        reset();
    }

    /** Restarts the count with a new random timeout. */
    void reset() {
        elapsed = 0;
        timeout = base + random.nextInt(base);
    }

    /** Restarts the count, keeping the timeout (a leader's periodic check). */
    void restartCount() {
        elapsed = 0;
    }

    /** Advances one tick; true when the randomized timeout has passed. */
    boolean tick() {
        elapsed++;
        return elapsed >= timeout;
    }

    /** The count and the timeout, to put back with {@link #restore}. */
    int[] save() {
        return new int[] {elapsed, timeout};
    }

    /** Puts back what {@link #save} returned: as if no reset had happened in between. */
    void restore(int[] saved) {
        elapsed = saved[0];
        timeout = saved[1];
    }

    int elapsed() {
        return elapsed;
    }

    /** True while fewer than T ticks have passed since the last reset. */
    boolean withinBaseTimeout() {
        return elapsed < base;
    }

    int timeout() {
        return timeout;
    }
}
