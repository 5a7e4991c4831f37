package io.raftkit.transport.netty;

import java.time.Duration;
import java.util.Random;

/**
 * How long to wait before redialling a peer: the ceiling doubles with each failure from the minimum up
 * to the maximum, and the delay is drawn from the upper half of the ceiling so that nodes that lost a
 * peer together do not redial it in lockstep.
 */
final class ReconnectBackoff {

    private final long minNanos;
    private final long maxNanos;

    ReconnectBackoff(Duration min, Duration max) {
        this.minNanos = min.toNanos();
        this.maxNanos = max.toNanos();
    }

    /** The delay after {@code failures} consecutive failures (0 for the first redial), in nanoseconds. */
    long delayNanos(int failures, Random random) {
        long ceiling = minNanos;
        for (int i = 0; i < failures && ceiling < maxNanos; i++) {
            ceiling = ceiling > maxNanos / 2 ? maxNanos : ceiling * 2;
        }
        ceiling = Math.min(ceiling, maxNanos);
        return ceiling / 2 + (long) (random.nextDouble() * (ceiling / 2 + 1));
    }

    /** A connection that lived longer than this counts as healthy: the next failure starts over. */
    long maxNanos() {
        return maxNanos;
    }
}
