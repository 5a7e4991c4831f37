package io.raftkit.node;

import io.raftkit.core.GroupChange;
import io.raftkit.core.Transport;
import io.raftkit.core.message.Message;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event loop: the one thread that runs a node's {@link NodeDriver}. It takes inbound messages and
 * tasks (client requests, results of snapshot I/O, compactions) from lock-free queues, hands each to the
 * driver, lets the driver do its duties, and parks until the next tick falls due or something arrives.
 *
 * <p>Everything that arrives while the loop is busy is taken in one go, so many proposals become one
 * Ready: one append message per follower and one storage write (one fsync).
 *
 * <p>Hosted ({@link #start(String, ScheduledExecutorService)} with the transport's
 * {@link NodeLoopHost#nodeLoop()}), the loop is not a thread but turns run on the transport's I/O thread:
 * each arrival schedules one turn (unless one is scheduled already), a timer schedules one every tick,
 * and messages that arrive on that thread, and those the driver sends, cross no thread. The queues and
 * the turn are the same.
 *
 * <p>It is the transport's receiver: messages go to its inbox, a lost peer to the driver as a task.
 */
final class RaftLoop implements Runnable, Transport.Receiver {

    private static final Logger log = LoggerFactory.getLogger(RaftLoop.class);

    private final String nodeId;
    private final Consumer<Throwable> failed;
    private NodeDriver driver;
    private long maxParkNanos;

    private final ConcurrentLinkedQueue<Message> inbox = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private volatile Thread thread;
    private volatile boolean running;
    /** Hosted: the transport's I/O thread's executor, else null. */
    private volatile ScheduledExecutorService host;
    private final AtomicBoolean turnScheduled = new AtomicBoolean();
    private ScheduledFuture<?> ticker;
    private final Object intake = new Object();
    private boolean intakeClosed;

    /** Bytes each peer has waiting in {@link #inbox} (NodeOptions.maxInboundBytesPerPeer). */
    final InboundBudget inbound;

    RaftLoop(String nodeId, Consumer<Throwable> failed, long maxInboundBytesPerPeer) {
        this.nodeId = nodeId;
        this.failed = failed;
        this.inbound = new InboundBudget(maxInboundBytesPerPeer);
    }

    /** The driver this loop runs; set once, before {@link #start}. */
    void drive(NodeDriver driver, long tickNanos) {
        this.driver = driver;
        this.maxParkNanos = tickNanos;
    }

    /** Starts the loop on a thread of its own named {@code name}, or hosted on {@code host} when not null. */
    void start(String name, ScheduledExecutorService host) {
        running = true;
        if (host == null) {
            Thread t = new Thread(this, name);
            t.setDaemon(true);
            thread = t;
            t.start();
            return;
        }
        this.host = host;
        ticker = host.scheduleAtFixedRate(this::wake, maxParkNanos, maxParkNanos, TimeUnit.NANOSECONDS);
        wake();
    }

    /** True on the thread the loop runs its turns on. */
    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Stops the loop and waits for it; requests still pending fail with {@code reason}. */
    void stop(RaftException reason) {
        running = false;
        Thread t = thread;
        if (host != null) {
            awaitTurnInProgress(t);
        } else if (t != null && t != Thread.currentThread()) {
            LockSupport.unpark(t);
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        driver.failPending(reason);
        synchronized (intake) {
            intakeClosed = true;
        }
        Runnable task;
        while ((task = tasks.poll()) != null) {
            task.run(); // submissions that arrived too late fail themselves: the loop is not running
        }
    }

    /**
     * Hosted: waits until a turn under way has ended, by running an empty task after it; not needed when
     * called from the turn itself ({@code turnThread}), or once the host has stopped (the transport closed
     * first, as a node's shutdown does: its executor ran everything queued before it ended).
     */
    private void awaitTurnInProgress(Thread turnThread) {
        ScheduledFuture<?> t = ticker;
        if (t != null) {
            t.cancel(false);
        }
        if (turnThread == Thread.currentThread()) {
            return;
        }
        try {
            host.submit(() -> { }).get(10, TimeUnit.SECONDS);
        } catch (RejectedExecutionException | ExecutionException | TimeoutException e) {
            // Stopped: nothing runs there any more.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the loop from inside (a storage failure); the node then shuts down. */
    void failed(Throwable error) {
        running = false;
        failed.accept(error);
    }

    // ---- called from other threads ------------------------------------------------------------------

    @Override
    public void receive(Message m) {
        if (!inbound.admit(m)) {
            return; // its sender has too much waiting: dropped, as the network may drop it
        }
        inbox.add(m);
        wake();
    }

    /** The transport cannot reach {@code peer} now: the driver hears of it on the loop. */
    @Override
    public void unreachable(String peer) {
        execute(() -> driver.peerUnreachable(peer));
    }

    /** Runs {@code task} on the loop; returns false (and drops it) once the loop has stopped. */
    boolean execute(Runnable task) {
        synchronized (intake) {
            if (intakeClosed) {
                return false;
            }
            tasks.add(task);
        }
        wake();
        return true;
    }

    /**
     * Runs {@code request} on the loop if it still runs; else fails {@code future}: the request never
     * reached the driver, so nothing happened.
     */
    private void onLoop(Runnable request, CompletableFuture<byte[]> future) {
        if (!execute(() -> {
            if (running) {
                request.run();
            } else {
                failClosed(future);
            }
        })) {
            failClosed(future);
        }
    }

    /**
     * Hands a write ({@code write}) or read to the driver; fails {@code future} if the node is closed. Written
     * out rather than through {@link #onLoop}: on the path of every request, one lambda instead of two.
     */
    void submit(boolean write, byte[] payload, boolean lease, CompletableFuture<byte[]> future, long submittedNanos) {
        if (!execute(() -> {
            if (running) {
                driver.submit(write, payload, lease, future, submittedNanos);
            } else {
                failClosed(future);
            }
        })) {
            failClosed(future);
        }
    }

    private static void failClosed(CompletableFuture<byte[]> future) {
        future.completeExceptionally(new NodeClosedException("the node is closed", false));
    }

    /** Hands a client-session record to the driver; fails {@code future} if the node is closed. */
    void submitSessionRecord(byte[] record, CompletableFuture<byte[]> future) {
        onLoop(() -> driver.submitSessionRecord(record, future), future);
    }

    /** Hands a change to the group to the driver; fails {@code future} if the node is closed. */
    void submitChange(GroupChange change, CompletableFuture<byte[]> future) {
        onLoop(() -> driver.submitChange(change, future), future);
    }

    void wake() {
        ScheduledExecutorService h = host;
        if (h != null) {
            if (turnScheduled.compareAndSet(false, true)) {
                try {
                    h.execute(this::turn);
                } catch (RejectedExecutionException e) {
                    turnScheduled.set(false); // the transport closed: the node is stopping
                }
            }
            return;
        }
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    // ---- the loop -----------------------------------------------------------------------------------

    @Override
    public void run() {
        try {
            while (running) {
                takeAll();
                if (!hasWork()) {
                    // At most a tick interval of real time: a clock that is not the system's (a test's)
                    // may have moved on meanwhile without anyone waking the loop.
                    LockSupport.parkNanos(this, Math.min(maxParkNanos, driver.nanosToNextTick()));
                }
            }
        } catch (Throwable t) {
            loopFailed(t);
        }
    }

    /** Hosted: one turn on the transport's thread; another is scheduled if work is left. */
    private void turn() {
        // Cleared first: whatever arrives from now on schedules the next turn.
        turnScheduled.set(false);
        if (!running) {
            return;
        }
        thread = Thread.currentThread();
        try {
            takeAll();
            if (hasWork()) {
                wake();
            }
        } catch (Throwable t) {
            loopFailed(t);
        }
    }

    private void takeAll() {
        Message m;
        while ((m = inbox.poll()) != null) {
            inbound.taken(m);
            driver.receive(m);
        }
        Runnable task;
        while ((task = tasks.poll()) != null) {
            task.run();
        }
        driver.runDuties();
    }

    private boolean hasWork() {
        return !inbox.isEmpty() || !tasks.isEmpty() || driver.hasDurableWrites();
    }

    private void loopFailed(Throwable t) {
        log.error("{}: the event loop failed", nodeId, t);
        running = false;
        failed.accept(t);
    }
}
