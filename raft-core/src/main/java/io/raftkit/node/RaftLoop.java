package io.raftkit.node;

import io.raftkit.core.Entry;
import io.raftkit.core.HardState;
import io.raftkit.core.LogStorage;
import io.raftkit.core.ProposalAccepted;
import io.raftkit.core.RaftCore;
import io.raftkit.core.RaftRole;
import io.raftkit.core.ReadState;
import io.raftkit.core.Ready;
import io.raftkit.core.RequestRejected;
import io.raftkit.core.SnapshotMeta;
import io.raftkit.core.Transport;
import io.raftkit.core.message.InstallSnapshot;
import io.raftkit.core.message.InstallSnapshotResponse;
import io.raftkit.core.message.Message;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event loop: the one thread that owns a node's {@link RaftCore}. It drains inbound messages,
 * client requests and storage acknowledgements, ticks the core on time, and carries out each
 * {@link Ready}: writes to storage, sends messages (holding back those that promise durability until
 * storage reports it), hands committed entries and completed requests to the {@link Applier}.
 *
 * <p>Everything that arrives while the loop is busy is taken in one go, so many proposals become one
 * Ready: one append message per follower and one storage write (one fsync).
 */
final class RaftLoop implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(RaftLoop.class);

    private final RaftCore core;
    private final LogStorage storage;
    private final Transport transport;
    private final Applier applier;
    private final NodeOptions options;
    private final Clock clock;
    private final SnapshotSender snapshotSender;
    private final SnapshotReceiver snapshotReceiver;
    private final Consumer<Throwable> failed;
    private final Consumer<Ready> observer;
    private final long tickNanos;
    /**
     * At most this many ticks are delivered at once after a stall. Everything the core times has run
     * out well before: a lease (under electionTicks), a follower's election timeout (under twice that), a
     * leader's check-quorum (it checks twice and steps down, having handled no message in between), a
     * snapshot transfer's idle timeout (twice electionTicks). So more ticks would change nothing but cost.
     */
    private final long maxCatchUpTicks;
    private long nextTick;
    private final long timeoutNanos;

    private final ConcurrentLinkedQueue<Message> inbox = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private volatile Thread thread;
    private volatile boolean running;
    private final Object intake = new Object();
    private boolean intakeClosed;

    private long nextRequestId = 1;
    private final Map<Long, PendingRequest> requests = new HashMap<>();
    private final ArrayDeque<PendingRequest> byDeadline = new ArrayDeque<>();
    private final List<PendingRequest> retries = new ArrayList<>();

    private final PersistenceBarrier barrier;
    private HardState lastSavedHardState;

    RaftLoop(RaftCore core, LogStorage storage, Transport transport, Applier applier, NodeOptions options, Clock clock,
             SnapshotSender snapshotSender, SnapshotReceiver snapshotReceiver, Consumer<Throwable> failed,
             Consumer<Ready> observer) {
        this.core = core;
        this.storage = storage;
        this.transport = transport;
        this.applier = applier;
        this.options = options;
        this.clock = clock;
        this.snapshotSender = snapshotSender;
        this.snapshotReceiver = snapshotReceiver;
        this.failed = failed;
        this.observer = observer;
        this.tickNanos = options.tickInterval().toNanos();
        this.maxCatchUpTicks = 4L * options.raft().electionTicks();
        this.timeoutNanos = options.requestTimeout().toNanos();
        this.lastSavedHardState = storage.hardState();
        this.barrier = new PersistenceBarrier(transport, this::storageFailed, this::wake);
    }

    void start(String name) {
        running = true;
        Thread t = new Thread(this, name);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** Stops the loop and waits for it; requests still pending fail with {@code reason}. */
    void stop(RaftException reason) {
        running = false;
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            LockSupport.unpark(t);
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (PendingRequest r : requests.values()) {
            applier.fail(r.future, r.write && r.reachedLeader
                    ? new NodeClosedException(reason.getMessage(), true) : reason);
        }
        requests.clear();
        synchronized (intake) {
            intakeClosed = true;
        }
        Runnable task;
        while ((task = tasks.poll()) != null) {
            task.run(); // submissions that arrived too late fail themselves: the loop is not running
        }
    }

    boolean running() {
        return running;
    }

    // ---- called from other threads ------------------------------------------------------------------

    void receive(Message m) {
        inbox.add(m);
        wake();
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

    void submitWrite(byte[] command, CompletableFuture<byte[]> future) {
        if (!execute(() -> enqueue(true, command, false, future))) {
            future.completeExceptionally(new NodeClosedException("the node is closed", false));
        }
    }

    void submitRead(byte[] query, boolean lease, CompletableFuture<byte[]> future) {
        if (!execute(() -> enqueue(false, query, lease, future))) {
            future.completeExceptionally(new NodeClosedException("the node is closed", false));
        }
    }

    private void wake() {
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    // ---- the loop -----------------------------------------------------------------------------------

    @Override
    public void run() {
        nextTick = clock.nanoTime() + tickNanos;
        try {
            while (running) {
                Entry e;
                while ((e = barrier.pollPersisted()) != null) {
                    core.persisted(e.index(), e.term());
                }
                Message m;
                while ((m = inbox.poll()) != null) {
                    catchUp();
                    onMessage(m);
                }
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    catchUp();
                    task.run();
                }
                catchUp();
                while (core.hasReady()) {
                    handle(core.ready());
                }
                if (inbox.isEmpty() && tasks.isEmpty() && !barrier.hasPersisted()) {
                    LockSupport.parkNanos(this, Math.max(0, Math.min(tickNanos, nextTick - clock.nanoTime())));
                }
            }
        } catch (Throwable t) {
            log.error("{}: the event loop failed", core.id(), t);
            running = false;
            failed.accept(t);
        }
    }

    /**
     * Delivers every tick that fell due since the last call, so that the core never handles a message,
     * a write or a read with a stale sense of time: after a stall of this thread (a GC pause, a stopped
     * process), the ticks of the stall come first. Without this a leader resuming from a stall served
     * lease reads from a lease counted in ticks that had not been delivered (LeaseAfterStallTest).
     */
    private void catchUp() {
        long now = clock.nanoTime();
        if (now - nextTick < 0) {
            return;
        }
        long due = (now - nextTick) / tickNanos + 1;
        nextTick += due * tickNanos;
        long deliver = Math.min(due, maxCatchUpTicks);
        for (long i = 0; i < deliver; i++) {
            core.tick();
            snapshotSender.tick();
        }
        onTick(now);
    }

    /**
     * True when a read the core cleared by its lease still holds now: the core checked it against the
     * ticks delivered before the read, and this thread may have stalled since (between that delivery and
     * the check); catching up again and comparing proves the lease held at some moment after the check.
     */
    private boolean leaseStillHolds(ReadState s) {
        catchUp();
        return core.ticks() < s.leaseExpiresAtTick();
    }

    private void onMessage(Message m) {
        if (m instanceof InstallSnapshotResponse r) {
            if (core.role() == RaftRole.LEADER && r.term() == core.term()) {
                snapshotSender.onResponse(r, core.term());
            } else {
                core.step(m);
            }
            return;
        }
        core.step(m);
        if (m instanceof InstallSnapshot s && s.term() == core.term() && core.role() == RaftRole.FOLLOWER) {
            transport.send(snapshotReceiver.receive(s));
            SnapshotMeta done = snapshotReceiver.completed();
            if (done != null) {
                core.installSnapshot(s.from(), done);
            }
        }
    }

    private void onTick(long now) {
        retry();
        while (!byDeadline.isEmpty()) {
            PendingRequest r = byDeadline.peek();
            if (r.future.isDone()) {
                byDeadline.poll();
            } else if (now - r.deadlineNanos >= 0) {
                byDeadline.poll();
                requests.remove(r.id);
                applier.fail(r.future, timedOut(r));
            } else {
                break;
            }
        }
    }

    /** Issues again the requests refused for want of a (current) leader. */
    private void retry() {
        if (retries.isEmpty()) {
            return;
        }
        List<PendingRequest> again = new ArrayList<>(retries);
        retries.clear();
        for (PendingRequest r : again) {
            if (!r.future.isDone() && requests.containsKey(r.id)) {
                issue(r);
            }
        }
    }

    private RaftException timedOut(PendingRequest r) {
        String what = r.write ? "write" : "read";
        if (r.write && (r.reachedLeader || r.handedOff)) {
            return new IndeterminateException("no outcome for the " + what + " within " + options.requestTimeout()
                    + " (leader " + core.leader() + ", term " + core.term() + ")");
        }
        if (core.leader() == null) {
            return new NoLeaderException("no leader within " + options.requestTimeout() + " for the " + what);
        }
        return new RaftException("the " + what + " timed out after " + options.requestTimeout());
    }

    private void enqueue(boolean write, byte[] payload, boolean lease, CompletableFuture<byte[]> future) {
        if (!running) {
            future.completeExceptionally(new NodeClosedException("the node is closed", false));
            return;
        }
        PendingRequest r = new PendingRequest(nextRequestId++, write, payload, lease, future,
                clock.nanoTime() + timeoutNanos);
        requests.put(r.id, r);
        byDeadline.add(r);
        issue(r);
    }

    private void issue(PendingRequest r) {
        if (core.leader() != null) {
            r.reachedLeader = true;
        }
        if (r.write) {
            core.propose(r.id, r.payload);
        } else {
            core.read(r.id, r.lease);
        }
    }

    // ---- carrying out a Ready -----------------------------------------------------------------------

    private void handle(Ready r) {
        observer.accept(r); // status first: nothing handed on below may be seen before it
        if (r.role() != RaftRole.LEADER) {
            snapshotSender.abortAll();
        }
        if (r.snapshotToInstall() != null) {
            track(storage.compact(r.snapshotToInstall()));
            applier.restore(r.snapshotToInstall());
        }
        if (!r.entries().isEmpty()) {
            track(storage.append(r.entries()));
        }
        HardState hs = r.hardState();
        if (hs != null && hs.termOrVoteDiffers(lastSavedHardState)) {
            // Commit-only changes are not saved: the commit is a hint, and saving it costs a write.
            track(storage.saveHardState(hs));
            lastSavedHardState = hs;
        }
        for (Message m : r.messages()) {
            transport.send(m);
        }
        Entry last = r.lastEntry();
        if (!r.messagesAfterPersist().isEmpty() || last != null) {
            Entry durableNow = barrier.afterWrites(r.messagesAfterPersist(), last);
            if (durableNow != null) {
                core.persisted(durableNow.index(), durableNow.term());
            }
        }
        if (!r.committedEntries().isEmpty()) {
            applier.apply(r.committedEntries());
        }
        for (ProposalAccepted a : r.acceptedProposals()) {
            PendingRequest p = requests.remove(a.requestId());
            if (p != null) {
                p.handedOff = true;
                applier.expect(a.index(), a.term(), p.future);
            }
        }
        for (ReadState s : r.readStates()) {
            if (s.byLease() && requests.containsKey(s.requestId()) && !leaseStillHolds(s)) {
                core.read(s.requestId(), false); // the lease may have lapsed before it was checked: confirm
                continue;
            }
            PendingRequest p = requests.remove(s.requestId());
            if (p != null) {
                p.handedOff = true;
                applier.readAt(s.readIndex(), p.payload, p.future);
            }
        }
        for (RequestRejected x : r.rejectedRequests()) {
            rejected(x);
        }
        for (String peer : r.snapshotsToSend()) {
            snapshotSender.start(peer, r.term());
        }
        if (r.leader() != null && !r.leader().equals(lastLeader)) {
            retry(); // a new leader: no need to wait for the next tick
        }
        lastLeader = r.leader();
    }

    private String lastLeader;

    private void rejected(RequestRejected x) {
        PendingRequest p = requests.get(x.requestId());
        if (p == null) {
            return;
        }
        if (p.write && x.reason() == RequestRejected.Reason.LEADER_CHANGED) {
            requests.remove(p.id);
            applier.fail(p.future, new IndeterminateException(
                    "leadership changed while the write was in flight; it may or may not have been committed"));
        } else {
            retries.add(p); // no leader yet, or the leader moved on: try again at the next tick
        }
    }

    private void track(CompletableFuture<Void> write) {
        barrier.track(write);
    }

    private void storageFailed(Throwable error) {
        log.error("{}: a storage write failed; stopping the node", core.id(), error);
        running = false;
        failed.accept(error);
    }

    /** Compacts the log up to a snapshot the apply thread took. Runs on the loop. */
    void compactTo(SnapshotMeta meta) {
        if (meta.index() > storage.snapshotMeta().index() && meta.index() <= storage.lastIndex()) {
            track(storage.compact(meta));
        }
    }
}
