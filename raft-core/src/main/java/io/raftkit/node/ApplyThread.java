package io.raftkit.node;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The apply thread of a node in production: the one thread that runs the {@link Applier}, taking its
 * tasks in order, as many as have arrived at once.
 *
 * <p>A write's {@link ApplyTask.Expect} is handed over without waking the thread when its entry has not
 * been handed out for applying yet: it cannot be answered before that entry's {@link ApplyTask.Apply}
 * (or a {@link ApplyTask.Restore} past it) arrives, which wakes the thread, and the thread takes the
 * quiet tasks first. A lone write then wakes the apply thread once, not twice.
 */
final class ApplyThread implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(ApplyThread.class);
    private static final ApplyTask STOP = new ApplyTask.Callback(() -> {}, null);

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

    ApplyThread(String nodeId, Applier applier, Consumer<Throwable> failed) {
        this.nodeId = nodeId;
        this.applier = applier;
        this.failed = failed;
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

    /** Queues a task; once stopped, fails the task's future at once instead (it would never run). */
    void offer(ApplyTask task) {
        RaftException reason;
        synchronized (queue) {
            reason = stoppedBecause;
            if (reason == null) {
                if (task instanceof ApplyTask.Expect x && x.index() > handedOut) {
                    quiet.add(task);
                    return;
                }
                if (task instanceof ApplyTask.Apply a && !a.entries().isEmpty()) {
                    handedOut = Math.max(handedOut, a.entries().get(a.entries().size() - 1).index());
                } else if (task instanceof ApplyTask.Restore r) {
                    handedOut = Math.max(handedOut, r.meta().index());
                }
                queue.add(task);
                return;
            }
        }
        Applier.failUnrun(task, reason);
    }

    /** Stops after what is queued; then fails whatever still waits with {@code reason}. */
    void stop(RaftException reason) {
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
                for (ApplyTask task : batch) {
                    if (task == STOP) {
                        return;
                    }
                    applier.handle(task);
                }
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            log.error("{}: the apply thread failed", nodeId, t);
            failed.accept(t);
        }
    }
}
