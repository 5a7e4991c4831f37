package io.raftkit.node;

import io.raftkit.core.Configuration;
import io.raftkit.core.Entry;
import io.raftkit.core.EntryType;
import io.raftkit.core.SnapshotMeta;
import io.raftkit.core.SnapshotStore;
import io.raftkit.core.StateMachine;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The apply thread: the only thread that touches the user's {@link StateMachine}. It applies committed
 * entries in order, completes the futures of the writes they carry, answers queries once the state is
 * fresh enough, takes snapshots, and runs every other user callback (futures, listeners), so that no
 * user code ever runs on the event loop.
 */
final class Applier implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(Applier.class);
    private static final byte[] EMPTY = new byte[0];
    private static final int RECENT_RESULTS = 4096;

    private record Apply(List<Entry> entries) {}

    /** A write accepted at (index, term), waiting for that index to be applied. */
    private static final class Expect {
        final long term;
        final CompletableFuture<byte[]> future;
        Expect next; // another write expected at the same index (a replaced entry)

        Expect(long term, CompletableFuture<byte[]> future) {
            this.term = term;
            this.future = future;
        }
    }

    private record ExpectTask(long index, long term, CompletableFuture<byte[]> future) {}

    private record ReadAt(long index, byte[] query, CompletableFuture<byte[]> future) {}

    private record Restore(SnapshotMeta meta) {}

    private static final Object STOP = new Object();

    private final String nodeId;
    private final StateMachine stateMachine;
    private final SnapshotStore snapshots;
    private final long snapshotEveryEntries;
    private final Supplier<Configuration> configuration;
    private final Consumer<SnapshotMeta> snapshotTaken;
    private final Consumer<Throwable> failed;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Map<Long, Expect> expected = new HashMap<>();
    private final PriorityQueue<ReadAt> waitingReads =
            new PriorityQueue<>((a, b) -> Long.compare(a.index(), b.index()));
    private final long[] recentIndex = new long[RECENT_RESULTS];
    private final long[] recentTerm = new long[RECENT_RESULTS];
    private final byte[][] recentResult = new byte[RECENT_RESULTS][];

    private volatile long appliedIndex;
    private volatile long lastSnapshotIndex;
    private long appliedTerm;
    private volatile Thread thread;

    Applier(String nodeId, StateMachine stateMachine, SnapshotStore snapshots, long snapshotEveryEntries,
            Supplier<Configuration> configuration, Consumer<SnapshotMeta> snapshotTaken, Consumer<Throwable> failed) {
        this.nodeId = nodeId;
        this.stateMachine = stateMachine;
        this.snapshots = snapshots;
        this.snapshotEveryEntries = snapshotEveryEntries;
        this.configuration = configuration;
        this.snapshotTaken = snapshotTaken;
        this.failed = failed;
    }

    /** Before the thread starts: restore the latest snapshot, if any. Returns its metadata or NONE. */
    SnapshotMeta restoreLatest() throws IOException {
        var latest = snapshots.latest();
        if (latest.isEmpty()) {
            return SnapshotMeta.NONE;
        }
        SnapshotStore.Snapshot s = latest.get();
        try (InputStream in = s.open()) {
            stateMachine.restoreSnapshot(in);
        }
        appliedIndex = s.meta().index();
        appliedTerm = s.meta().term();
        lastSnapshotIndex = s.meta().index();
        return s.meta();
    }

    void start() {
        Thread t = new Thread(this, "raft-apply-" + nodeId);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    long appliedIndex() {
        return appliedIndex;
    }

    long lastSnapshotIndex() {
        return lastSnapshotIndex;
    }

    // ---- called from other threads ----------------------------------------------------------------

    void apply(List<Entry> entries) {
        offer(new Apply(entries), null);
    }

    /** Completes {@code future} with the result of the entry at {@code index} if it has {@code term}. */
    void expect(long index, long term, CompletableFuture<byte[]> future) {
        offer(new ExpectTask(index, term, future), future);
    }

    /** Answers {@code query} once everything up to {@code index} is applied. */
    void readAt(long index, byte[] query, CompletableFuture<byte[]> future) {
        offer(new ReadAt(index, query, future), future);
    }

    void restore(SnapshotMeta meta) {
        offer(new Restore(meta), null);
    }

    /** Runs {@code r} on the apply thread, in order with everything else. */
    void run(Runnable r) {
        offer(r, null);
    }

    /** Fails {@code future} on the apply thread, so that its callbacks never run on the event loop. */
    void fail(CompletableFuture<byte[]> future, RaftException e) {
        offer((Runnable) () -> future.completeExceptionally(e), future);
    }

    /** Queues a task; once stopped, fails the task's future at once instead (it would never run). */
    private void offer(Object task, CompletableFuture<byte[]> future) {
        RaftException reason;
        synchronized (queue) {
            reason = stoppedBecause;
            if (reason == null) {
                queue.add(task);
                return;
            }
        }
        if (future != null) {
            future.completeExceptionally(reason);
        }
    }

    private RaftException stoppedBecause;

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
        failWaiting(reason);
    }

    // ---- the thread ---------------------------------------------------------------------------------

    @Override
    public void run() {
        List<Object> batch = new ArrayList<>();
        try {
            while (true) {
                batch.add(queue.take());
                queue.drainTo(batch);
                for (Object task : batch) {
                    if (task == STOP) {
                        return;
                    }
                    handle(task);
                }
                batch.clear();
                maybeSnapshot();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            log.error("{}: the apply thread failed", nodeId, t);
            failed.accept(t);
        }
    }

    private void handle(Object task) throws IOException {
        if (task instanceof Apply a) {
            for (Entry e : a.entries()) {
                applyEntry(e);
            }
            releaseReads();
        } else if (task instanceof ExpectTask x) {
            expectEntry(x);
        } else if (task instanceof ReadAt r) {
            if (r.index() <= appliedIndex) {
                answer(r);
            } else {
                waitingReads.add(r);
            }
        } else if (task instanceof Restore r) {
            restoreFromStore(r.meta());
        } else if (task instanceof Runnable r) {
            r.run();
        }
    }

    private void applyEntry(Entry e) {
        if (e.index() <= appliedIndex) {
            return; // already reflected in the restored snapshot
        }
        byte[] result = e.type() == EntryType.COMMAND ? stateMachine.apply(e.index(), e.data()) : EMPTY;
        if (result == null) {
            result = EMPTY;
        }
        appliedIndex = e.index();
        appliedTerm = e.term();
        int slot = (int) (e.index() % RECENT_RESULTS);
        recentIndex[slot] = e.index();
        recentTerm[slot] = e.term();
        recentResult[slot] = result;
        Expect x = expected.remove(e.index());
        for (; x != null; x = x.next) {
            complete(x.future, x.term, e.term(), result);
        }
    }

    private void expectEntry(ExpectTask t) {
        if (t.index() > appliedIndex) {
            Expect x = new Expect(t.term(), t.future());
            x.next = expected.get(t.index());
            expected.put(t.index(), x);
            return;
        }
        // The entry was applied before its acceptance was reported (a follower can learn the commit
        // before the leader's answer to its forwarded proposal arrives).
        int slot = (int) (t.index() % RECENT_RESULTS);
        if (recentIndex[slot] == t.index()) {
            complete(t.future(), t.term(), recentTerm[slot], recentResult[slot]);
        } else {
            t.future().completeExceptionally(new IndeterminateException(
                    "write at index " + t.index() + " was applied too long ago to report its result"));
        }
    }

    private static void complete(CompletableFuture<byte[]> f, long expectedTerm, long actualTerm, byte[] result) {
        if (expectedTerm == actualTerm) {
            f.complete(result);
        } else {
            f.completeExceptionally(new NotCommittedException(
                    "the write was replaced by a new leader's entry (term " + actualTerm + ", written in term "
                            + expectedTerm + ")"));
        }
    }

    private void releaseReads() {
        while (!waitingReads.isEmpty() && waitingReads.peek().index() <= appliedIndex) {
            answer(waitingReads.poll());
        }
    }

    private void answer(ReadAt r) {
        byte[] out;
        try {
            out = stateMachine.query(r.query());
        } catch (RuntimeException e) {
            r.future().completeExceptionally(e);
            return;
        }
        r.future().complete(out == null ? EMPTY : out);
    }

    private void restoreFromStore(SnapshotMeta meta) throws IOException {
        var latest = snapshots.latest();
        if (latest.isEmpty() || latest.get().meta().index() < meta.index()) {
            throw new IOException("snapshot " + meta + " to install is missing from the snapshot store");
        }
        SnapshotStore.Snapshot s = latest.get();
        try (InputStream in = s.open()) {
            stateMachine.restoreSnapshot(in);
        }
        appliedIndex = s.meta().index();
        appliedTerm = s.meta().term();
        lastSnapshotIndex = s.meta().index();
        java.util.Arrays.fill(recentIndex, 0);
        // Writes expected inside the snapshot: committed or not, their results are not known here.
        expected.entrySet().removeIf(en -> {
            if (en.getKey() <= appliedIndex) {
                for (Expect x = en.getValue(); x != null; x = x.next) {
                    x.future.completeExceptionally(new IndeterminateException(
                            "a snapshot covering index " + en.getKey() + " was installed; the write's result is unknown"));
                }
                return true;
            }
            return false;
        });
        releaseReads();
        log.info("{}: restored snapshot {}", nodeId, s.meta());
    }

    private void maybeSnapshot() throws IOException {
        if (appliedIndex - lastSnapshotIndex < snapshotEveryEntries) {
            return;
        }
        SnapshotMeta meta = new SnapshotMeta(appliedIndex, appliedTerm, configuration.get());
        try (SnapshotStore.SnapshotWriter w = snapshots.create(meta)) {
            stateMachine.writeSnapshot(w.output());
            w.commit();
        }
        lastSnapshotIndex = meta.index();
        log.info("{}: took snapshot {}", nodeId, meta);
        snapshotTaken.accept(meta);
    }

    private void failWaiting(RaftException reason) {
        for (Expect head : expected.values()) {
            for (Expect x = head; x != null; x = x.next) {
                x.future.completeExceptionally(reason);
            }
        }
        expected.clear();
        for (ReadAt r : waitingReads) {
            r.future().completeExceptionally(reason);
        }
        waitingReads.clear();
        Object task;
        while ((task = queue.poll()) != null) {
            if (task instanceof ExpectTask x) {
                x.future().completeExceptionally(reason);
            } else if (task instanceof ReadAt r) {
                r.future().completeExceptionally(reason);
            } else if (task instanceof Runnable r) {
                r.run();
            }
        }
    }
}
