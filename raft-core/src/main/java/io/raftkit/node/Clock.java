package io.raftkit.node;

/**
 * The monotonic time source of a {@link RaftNode}: ticks, request deadlines and leases are measured on
 * it. The default is {@link #system()}. Tests give a clock they advance by hand, so that they can stall
 * a node's time, or move it, without sleeping.
 *
 * <p>A node never serves anything before it has caught up with this clock: after any stall of the
 * node's event loop (a GC pause, a stopped process, a slow disk on the loop), every tick that fell due
 * meanwhile is delivered to the Raft core before the next message, write or read is handled. That is
 * what keeps a lease from outliving the time it was granted for.
 */
@FunctionalInterface
public interface Clock {

    /** Nanoseconds since some fixed, arbitrary origin; never decreases. Only differences mean anything. */
    long nanoTime();

    /**
     * Wall-clock milliseconds since the epoch, stamped into client-session records so that every node
     * expires sessions by the same, logged, time (see {@link ClientSession}); only roughly comparable
     * between nodes. The default is {@link System#currentTimeMillis()}.
     */
    default long wallMillis() {
        return System.currentTimeMillis();
    }

    /** The JVM's monotonic clock ({@link System#nanoTime()}). */
    static Clock system() {
        return System::nanoTime;
    }
}
