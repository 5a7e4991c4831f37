package io.raftkit.node;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The apply thread of a node in production: the one thread that runs the {@link Applier}, taking its tasks
 * in order, as many as have arrived at once; or, while that thread has nothing to do, the node's event
 * loop, which then runs the task itself ({@link NodeOptions#applyOnEventLoop}).
 *
 * <p>Why the loop may apply: handing each batch of committed entries to this thread wakes it, and the
 * writes its completions bring back (a client that answers each write with the next) wake the loop again.
 * On a 2-core machine those two hand-offs per round cost a fifth of a write's CPU at 128 writes in flight,
 * and without them the group does a sixth more writes/s (the loadgen README). Against that, user code (the
 * state machine, the futures' callbacks) then runs on the thread that also serves the node's connections,
 * so only tasks that are quick by nature run there: entries to apply (unless they reach a snapshot), reads
 * and write expectations. Snapshots, restores and callbacks (listeners, failed requests) always come here,
 * and a node whose applying on the loop took longer than {@code inlineLimitNanos} three times, each within
 * ten limits of the one before (a tick at the default limit), stops doing it: a slow state machine trips
 * that at once, while the odd garbage collection or preemption that lands in an apply does not add up. The
 * state machine is still called by one thread at a time, in order: the loop runs a task only while no task
 * is queued or running here ({@link #outstanding}, under {@link #applying}), and the lock orders what each
 * thread did.
 *
 * <p>With the loop not applying, a write's {@link ApplyTask.Expect} is handed over without waking the
 * thread when its entry has not been handed out for applying yet: it cannot be answered before that
 * entry's {@link ApplyTask.Apply} (or a {@link ApplyTask.Restore} past it) arrives, which wakes the
 * thread, and the thread takes the quiet tasks first. A lone write then wakes the apply thread once, not
 * twice.
 */
final class ApplyThread implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(ApplyThread.class);
    private static final ApplyTask STOP = new ApplyTask.Callback(() -> {}, null);
    /** Times applying on the loop may overrun {@link #inlineLimitNanos} before the loop stops doing it. */
    static final int SLOW_INLINE_LIMIT = 3;
    /** Overruns further apart than this many limits do not add up. */
    static final int SLOW_INLINE_WINDOW = 10;

    private final String nodeId;
    private final Applier applier;
    private final Consumer<Throwable> failed;
    private final LinkedBlockingQueue<ApplyTask> queue = new LinkedBlockingQueue<>();
    /** Expectations of entries not handed out yet: taken before each batch, never waking the thread. */
    private final ConcurrentLinkedQueue<ApplyTask> quiet = new ConcurrentLinkedQueue<>();
    /** The highest index an Apply or Restore offered so far reaches. Guarded by queue. */
    private long handedOut;
    private RaftException stoppedBecause; // guarded by queue
    private volatile Thread thread;
    /** Held by whichever thread runs the applier. */
    private final ReentrantLock applying = new ReentrantLock();
    /** Tasks queued here and not yet run: the loop runs one itself only while this is 0. */
    private final AtomicInteger outstanding = new AtomicInteger();
    /** True on the thread that may run tasks itself (the node's event loop). */
    private final BooleanSupplier onLoop;
    private final long inlineLimitNanos;
    /** Whether the loop may run tasks; off for good after too many slow ones, or a failure. */
    private volatile boolean inline;
    private int slowInline; // loop thread only
    private long lastSlowNanos; // loop thread only
    private final LongSupplier nanoTime;

    /** Every task runs on the apply thread. */
    ApplyThread(String nodeId, Applier applier, Consumer<Throwable> failed) {
        this(nodeId, applier, failed, () -> false, 0, System::nanoTime);
    }

    /**
     * @param onLoop true on the node's event loop, which runs quick tasks itself while this thread is idle
     * @param inlineLimitNanos how long one task on the loop may take before it counts as slow
     * @param nanoTime the time the loop's tasks are measured with ({@link System#nanoTime}; tests fake it)
     */
    ApplyThread(String nodeId, Applier applier, Consumer<Throwable> failed, BooleanSupplier onLoop,
                long inlineLimitNanos, LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.nodeId = nodeId;
        this.applier = applier;
        this.failed = failed;
        this.onLoop = onLoop;
        this.inlineLimitNanos = inlineLimitNanos;
        this.inline = inlineLimitNanos > 0;
    }

    void start() {
        Thread t = new Thread(this, "raft-apply-" + nodeId);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** True on the apply thread itself. */
    boolean isCurrent() {
        return Thread.currentThread() == thread;
    }

    /**
     * Runs the task at once when called on the loop, the task is quick by nature and nothing waits here;
     * otherwise queues it. Once stopped, fails the task's future at once instead (it would never run).
     */
    void offer(ApplyTask task) {
        // Not from inside a task the loop runs (a callback reading stale): the applier is not re-entrant.
        if (inline && outstanding.get() == 0 && quick(task) && onLoop.getAsBoolean()
                && !applying.isHeldByCurrentThread() && applying.tryLock()) {
            try {
                // Under the lock: a task queued meanwhile (a stale read from a caller's thread) goes first.
                if (outstanding.get() == 0 && inline) {
                    runOnLoop(task);
                    return;
                }
            } finally {
                applying.unlock();
            }
        }
        enqueue(task);
    }

    /** Whether the loop may run {@code task}: no snapshot to take or restore, no user callback. */
    private boolean quick(ApplyTask task) {
        if (task instanceof ApplyTask.Apply a) {
            return !applier.reachesSnapshot(a);
        }
        return task instanceof ApplyTask.Expect || task instanceof ApplyTask.ReadAt
                || task instanceof ApplyTask.AwaitConfiguration;
    }

    private void runOnLoop(ApplyTask task) {
        if (task instanceof ApplyTask.Apply) {
            synchronized (queue) {
                noteHandedOut(task); // for quiet expectations, should the loop stop applying later
            }
        }
        long start = nanoTime.getAsLong();
        try {
            applier.handle(task);
        } catch (Throwable t) {
            inline = false;
            synchronized (queue) {
                // Nothing may be applied after an entry that was not: later tasks fail instead of running.
                stoppedBecause = new NodeFailedException("node " + nodeId + " stopped: applying failed: " + t, t);
            }
            log.error("{}: applying on the event loop failed", nodeId, t);
            failed.accept(t);
            return;
        }
        long end = nanoTime.getAsLong();
        long took = end - start;
        if (took <= inlineLimitNanos) {
            return;
        }
        if (slowInline > 0 && end - lastSlowNanos > SLOW_INLINE_WINDOW * inlineLimitNanos) {
            slowInline = 0;
        }
        lastSlowNanos = end;
        if (++slowInline >= SLOW_INLINE_LIMIT) {
            inline = false;
            log.warn("{}: applying on the event loop took {} µs, over its limit of {} µs for the {}th time in"
                    + " quick succession: the state machine or a callback of a future is slow; the apply thread"
                    + " applies from now on (NodeOptions.applyOnEventLoop(false) starts that way)", nodeId,
                    took / 1000, inlineLimitNanos / 1000, slowInline);
        }
    }

    /** Whether no task waits here or runs here (tests). */
    boolean idle() {
        return outstanding.get() == 0;
    }

    /** Whether the loop still runs quick tasks itself (tests). */
    boolean appliesOnLoop() {
        return inline;
    }

    /** Records how far {@code task} hands entries out. Caller holds {@link #queue}'s lock. */
    private void noteHandedOut(ApplyTask task) {
        if (task instanceof ApplyTask.Apply a && !a.entries().isEmpty()) {
            handedOut = Math.max(handedOut, a.entries().get(a.entries().size() - 1).index());
        } else if (task instanceof ApplyTask.Restore r) {
            handedOut = Math.max(handedOut, r.meta().index());
        }
    }

    private void enqueue(ApplyTask task) {
        RaftException reason;
        synchronized (queue) {
            reason = stoppedBecause;
            if (reason == null) {
                outstanding.incrementAndGet();
                // Not while the loop may apply: a quiet task would keep outstanding above 0 until the next
                // Apply, which would then be queued too, and so on for every round after.
                if (!inline && task instanceof ApplyTask.Expect x && x.index() > handedOut) {
                    quiet.add(task);
                    return;
                }
                noteHandedOut(task);
                queue.add(task);
                return;
            }
        }
        Applier.failUnrun(task, reason);
    }

    /** Stops after what is queued; then fails whatever still waits with {@code reason}. */
    void stop(RaftException reason) {
        inline = false;
        synchronized (queue) {
            queue.add(STOP);
        }
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (queue) {
            stoppedBecause = reason;
        }
        applier.failWaiting(reason);
        ApplyTask task;
        while ((task = quiet.poll()) != null) {
            Applier.failUnrun(task, reason);
        }
        while ((task = queue.poll()) != null) {
            Applier.failUnrun(task, reason);
        }
    }

    @Override
    public void run() {
        List<ApplyTask> batch = new ArrayList<>();
        try {
            while (true) {
                ApplyTask first = queue.take();
                ApplyTask q;
                while ((q = quiet.poll()) != null) {
                    batch.add(q);
                }
                batch.add(first);
                queue.drainTo(batch);
                applying.lock();
                try {
                    for (ApplyTask task : batch) {
                        if (task == STOP) {
                            return;
                        }
                        applier.handle(task);
                        outstanding.decrementAndGet();
                    }
                } finally {
                    applying.unlock();
                }
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            inline = false; // and outstanding stays above 0: nothing runs after the task that failed
            log.error("{}: the apply thread failed", nodeId, t);
            failed.accept(t);
        }
    }
}
