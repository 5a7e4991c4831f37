package io.raftkit.node;

import java.util.concurrent.CountDownLatch;

/**
 * Whether a node is closed or failed, and who shuts it down: the first to close it (a caller's
 * {@code close()} or the stopper after a failure), once. Its lock is held only to change the flags, never
 * while waiting for another thread: the event loop, the apply thread and the log writer report failures
 * here, and a close waits for those threads, so a lock held across that wait would hang both (it did).
 */
final class NodeLifecycle {

    private final Object lock = new Object();
    private volatile boolean closed;
    private volatile Throwable failure;
    /** Released once the threads have stopped and the storage is closed, by whoever shut the node down. */
    private final CountDownLatch stopped = new CountDownLatch(1);

    boolean closed() {
        return closed;
    }

    /** The failure that stopped the node, or null. */
    Throwable failure() {
        return failure;
    }

    /** True for the one caller that gets to shut the node down. */
    boolean markClosed() {
        synchronized (lock) {
            if (closed) {
                return false;
            }
            closed = true;
            return true;
        }
    }

    /** True when {@code cause} is the node's first failure and it was not closed before. */
    boolean markFailed(Throwable cause) {
        synchronized (lock) {
            if (failure != null || closed) {
                return false;
            }
            failure = cause;
            return true;
        }
    }

    /** Called by whoever shut the node down, once it has. */
    void stopped() {
        stopped.countDown();
    }

    /** Waits until the node has been shut down (by another caller). */
    void awaitStopped() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
