package io.raftkit.node;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The apply thread of a node in production: the one thread that runs the {@link Applier}, taking its
 * tasks in order, as many as have arrived at once, and snapshotting after each batch.
 */
final class ApplyThread implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(ApplyThread.class);
    private static final ApplyTask STOP = new ApplyTask.Callback(() -> {}, null);

    private final String nodeId;
    private final Applier applier;
    private final Consumer<Throwable> failed;
    private final LinkedBlockingQueue<ApplyTask> queue = new LinkedBlockingQueue<>();
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

    /** Queues a task; once stopped, fails the task's future at once instead (it would never run). */
    void offer(ApplyTask task) {
        RaftException reason;
        synchronized (queue) {
            reason = stoppedBecause;
            if (reason == null) {
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
        while ((task = queue.poll()) != null) {
            Applier.failUnrun(task, reason);
        }
    }

    @Override
    public void run() {
        List<ApplyTask> batch = new ArrayList<>();
        try {
            while (true) {
                batch.add(queue.take());
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
