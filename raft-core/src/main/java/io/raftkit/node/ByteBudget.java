package io.raftkit.node;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A number of bytes that may be in use at once, shared by threads: a request takes its bytes before it
 * is let in and gives them back when it is done. Taking never blocks; a caller over the limit is told
 * so and refuses its request, which is the back-pressure.
 */
final class ByteBudget {

    private final String name;
    private final long limit;
    private final AtomicLong used = new AtomicLong();

    /** @param name the setting that sets {@code limit}, for messages */
    ByteBudget(String name, long limit) {
        this.name = name;
        this.limit = limit;
    }

    /**
     * Takes {@code bytes} if they fit. A request larger than the whole budget fits only into an empty one,
     * so that nothing is refused for ever.
     */
    boolean tryTake(long bytes) {
        while (true) {
            long now = used.get();
            if (now > 0 && now + bytes > limit) {
                return false;
            }
            if (used.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    /** Takes {@code bytes} whether they fit or not (work already promised). */
    void take(long bytes) {
        used.addAndGet(bytes);
    }

    void release(long bytes) {
        used.addAndGet(-bytes);
    }

    /** Bytes in use now. */
    long used() {
        return used.get();
    }

    long limit() {
        return limit;
    }

    /** Bytes still free (0 when full or over). */
    long free() {
        return Math.max(0, limit - used.get());
    }

    String name() {
        return name;
    }
}
