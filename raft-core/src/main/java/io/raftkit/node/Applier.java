package io.raftkit.node;

import io.raftkit.core.Configuration;
import io.raftkit.core.Entry;
import io.raftkit.core.EntryType;
import io.raftkit.core.SnapshotMeta;
import io.raftkit.core.SnapshotStore;
import io.raftkit.core.StateMachine;
import java.io.IOException;
import java.io.InputStream;
import java.util.PriorityQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only code that touches the user's {@link StateMachine}: it applies committed entries in order,
 * completes the futures of the writes they carry, answers queries once the state is fresh enough, takes
 * snapshots, and runs every other user callback (futures, listeners), so that no user code runs inside
 * the node driver: whatever it runs can only queue work for the driver, never re-enter it.
 *
 * <p>Single-threaded and unaware of threads: {@link ApplyThread} feeds it {@link ApplyTask}s in
 * production (on the apply thread, or on the event loop, in the driver's step that hands the task over,
 * while that thread is idle), the simulator's apply process in simulation (which applies after the
 * driver's step, at any later moment: running on the loop is the case of no delay).
 */
final class Applier {

    private static final Logger log = LoggerFactory.getLogger(Applier.class);
    private static final byte[] EMPTY = new byte[0];
    /** Starts every snapshot RaftKit writes: the session table follows, then the user's state. */
    static final byte[] SESSIONS_MARKER = "RKSESS01".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** An empty table as {@link SessionTable#writeTo} writes it: time 0, no sessions. */
    private static final byte[] EMPTY_TABLE = new byte[12];

    private final String nodeId;
    private final StateMachine stateMachine;
    private final SnapshotStore snapshots;
    private final long snapshotEveryEntries;
    // Read by NodeMetrics from other threads.
    final java.util.concurrent.atomic.LongAdder snapshotsTaken = new java.util.concurrent.atomic.LongAdder();
    final java.util.concurrent.atomic.LongAdder snapshotsInstalled = new java.util.concurrent.atomic.LongAdder();
    final LatencyHistogram snapshotLatency = new LatencyHistogram();
    /** The configuration in force at {@link #appliedIndex}: a snapshot taken now records it. */
    private Configuration configuration;
    private final Consumer<SnapshotMeta> snapshotTaken;
    private final Consumer<Entry> applied;
    private final ExpectedWrites expected = new ExpectedWrites();
    private final ConfigurationWaiters configurationWaiters = new ConfigurationWaiters();
    private final PriorityQueue<ApplyTask.ReadAt> waitingReads =
            new PriorityQueue<>((a, b) -> Long.compare(a.index(), b.index()));
    private final RecentResults recent = new RecentResults();
    private final SessionTable sessions;
    private final ByteBudget queued;
    private final Runnable roomToApply;
    /** The node's clock: snapshot latency is measured on it, as everything timed in a node is. */
    private final Clock clock;

    private volatile long appliedIndex;
    private volatile long lastSnapshotIndex;
    private long appliedTerm;

    /**
     * @param initial the group's configuration at its start, in force until a snapshot or a configuration
     *     entry says otherwise
     * @param snapshotTaken told of each snapshot once it is durable (the log may then be compacted)
     * @param applied told of every entry as it is applied (no-ops too), after the state machine saw it
     */
    Applier(String nodeId, StateMachine stateMachine, SnapshotStore snapshots, long snapshotEveryEntries,
            Configuration initial, Consumer<SnapshotMeta> snapshotTaken, Consumer<Entry> applied,
            ByteBudget queued, Runnable roomToApply, Clock clock) {
        this(nodeId, stateMachine, snapshots, snapshotEveryEntries, initial, snapshotTaken, applied, queued,
                roomToApply, clock, new SessionTable());
    }

    /**
     * With the given (empty) session table: a test may plant a faulty one.
     *
     * @param queued committed entries handed here and not yet applied: the applier gives their bytes back
     * @param roomToApply told when giving bytes back made room in a full {@code queued}, so the node hands
     *     out the committed entries it held back
     */
    Applier(String nodeId, StateMachine stateMachine, SnapshotStore snapshots, long snapshotEveryEntries,
            Configuration initial, Consumer<SnapshotMeta> snapshotTaken, Consumer<Entry> applied,
            ByteBudget queued, Runnable roomToApply, Clock clock, SessionTable sessions) {
        this.clock = clock;
        this.queued = queued;
        this.roomToApply = roomToApply;
        this.sessions = sessions;
        this.nodeId = nodeId;
        this.stateMachine = stateMachine;
        this.snapshots = snapshots;
        this.snapshotEveryEntries = snapshotEveryEntries;
        this.configuration = initial;
        this.snapshotTaken = snapshotTaken;
        this.applied = applied;
    }

    /** Before anything else: restore the latest snapshot, if any. Returns its metadata or NONE. */
    SnapshotMeta restoreLatest() throws IOException {
        var latest = snapshots.latest();
        if (latest.isEmpty()) {
            return SnapshotMeta.NONE;
        }
        SnapshotStore.Snapshot s = latest.get();
        restore(s);
        return s.meta();
    }

    /** Replaces the state (the user's and the sessions') with snapshot {@code s}'s. */
    private void restore(SnapshotStore.Snapshot s) throws IOException {
        restoreState(s);
        SnapshotMeta meta = s.meta();
        appliedIndex = meta.index();
        appliedTerm = meta.term();
        lastSnapshotIndex = meta.index();
        if (!meta.configuration().voters().isEmpty()) {
            configuration = meta.configuration();
        }
    }

    /**
     * A snapshot holds the session table first, behind a marker, then the user's state as their
     * {@code writeSnapshot} wrote it. A snapshot without the marker (written before sessions existed) is
     * all the user's, with no sessions.
     */
    private void restoreState(SnapshotStore.Snapshot s) throws IOException {
        try (InputStream raw = s.open()) {
            java.io.PushbackInputStream in = new java.io.PushbackInputStream(raw, SESSIONS_MARKER.length);
            byte[] head = in.readNBytes(SESSIONS_MARKER.length);
            if (java.util.Arrays.equals(head, SESSIONS_MARKER)) {
                sessions.readFrom(new java.io.DataInputStream(in));
            } else {
                in.unread(head);
                sessions.readFrom(new java.io.DataInputStream(new java.io.ByteArrayInputStream(EMPTY_TABLE)));
            }
            stateMachine.restoreSnapshot(in);
        }
    }

    /** Bytes of committed entries handed here and not yet applied; any thread. */
    long queuedBytes() {
        return queued.used();
    }

    /** Sessions open and bytes of answers they keep; any thread. */
    int sessionsOpen() {
        return sessions.open();
    }

    long sessionAnswerBytes() {
        return sessions.answerBytes();
    }

    /** Readable from any thread. */
    long appliedIndex() {
        return appliedIndex;
    }

    /** Readable from any thread. */
    long lastSnapshotIndex() {
        return lastSnapshotIndex;
    }

    /**
     * Whether applying {@code a} would take a snapshot (its entries reach a multiple of
     * {@code snapshotEveryEntries} above the last one applied). Any thread, while no task runs.
     */
    boolean reachesSnapshot(ApplyTask.Apply a) {
        if (a.entries().isEmpty() || snapshotEveryEntries == NodeOptions.NO_SNAPSHOTS) {
            return false;
        }
        long last = a.entries().get(a.entries().size() - 1).index();
        return last / snapshotEveryEntries > appliedIndex / snapshotEveryEntries;
    }

    /** Carries out one task. */
    void handle(ApplyTask task) throws IOException {
        if (task instanceof ApplyTask.Apply a) {
            FlightEvents.Apply event = new FlightEvents.Apply();
            event.begin();
            for (Entry e : a.entries()) {
                applyEntry(e);
                if (appliedIndex % snapshotEveryEntries == 0 && appliedIndex > lastSnapshotIndex) {
                    // At the multiple itself, not at the end of the batch that crosses it: every node then
                    // holds snapshots at the same indexes, so a caught-up follower can send a lagging
                    // node the one the leader would (RaftConfig.snapshotsFromFollowers).
                    takeSnapshot();
                }
            }
            boolean wasFull = queued.free() == 0;
            queued.release(a.bytes());
            if (wasFull) {
                roomToApply.run();
            }
            event.end();
            if (event.shouldCommit()) {
                event.node = nodeId;
                event.entries = a.entries().size();
                event.lastIndex = appliedIndex;
                event.commit();
            }
            releaseReads();
        } else if (task instanceof ApplyTask.AwaitConfiguration a) {
            configurationWaiters.await(a, appliedIndex, recent, configuration);
        } else if (task instanceof ApplyTask.Expect x) {
            expected.expect(x.index(), x.term(), x.future(), appliedIndex, recent);
        } else if (task instanceof ApplyTask.ReadAt r) {
            if (r.index() <= appliedIndex) {
                answer(r);
            } else {
                waitingReads.add(r);
            }
        } else if (task instanceof ApplyTask.Restore r) {
            restoreFromStore(r.meta());
        } else if (task instanceof ApplyTask.Callback c) {
            c.run().run();
        }
    }

    private void applyEntry(Entry e) {
        if (e.index() <= appliedIndex) {
            return; // already reflected in the restored snapshot
        }
        Object result = switch (e.type()) {
            case COMMAND -> stateMachine.apply(e.index(), e.data());
            case SESSION -> sessions.apply(e.index(), e.data(), stateMachine);
            default -> EMPTY;
        };
        if (e.type() == EntryType.CONFIGURATION) {
            configuration = Configuration.decode(e.data());
        }
        if (!configurationWaiters.isEmpty()) {
            configurationWaiters.applied(e.index(), e.term(), configuration);
        }
        if (result == null) {
            result = EMPTY;
        }
        appliedIndex = e.index();
        appliedTerm = e.term();
        recent.record(e.index(), e.term(), result);
        applied.accept(e);
        expected.applied(e.index(), e.term(), result);
    }

    private void releaseReads() {
        while (!waitingReads.isEmpty() && waitingReads.peek().index() <= appliedIndex) {
            answer(waitingReads.poll());
        }
    }

    private void answer(ApplyTask.ReadAt r) {
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
        restore(s);
        recent.forget();
        // Writes and changes expected inside the snapshot: committed or not, their results are not known here.
        configurationWaiters.snapshotInstalled(appliedIndex, configuration);
        expected.snapshotInstalled(appliedIndex);
        releaseReads();
        snapshotsInstalled.increment();
        FlightEvents.Snapshot installed = new FlightEvents.Snapshot();
        if (installed.shouldCommit()) {
            installed.node = nodeId;
            installed.kind = "installed";
            installed.index = s.meta().index();
            installed.success = true;
            installed.commit();
        }
        log.info("{}: restored snapshot {}", nodeId, s.meta());
    }

    private void takeSnapshot() throws IOException {
        SnapshotMeta meta = new SnapshotMeta(appliedIndex, appliedTerm, configuration);
        FlightEvents.Snapshot event = new FlightEvents.Snapshot();
        event.begin();
        long start = clock.nanoTime();
        try (SnapshotStore.SnapshotWriter w = snapshots.create(meta)) {
            java.io.DataOutputStream out = new java.io.DataOutputStream(
                    new java.io.BufferedOutputStream(w.output(), 1 << 16)); // not closed: the user writes on
            out.write(SESSIONS_MARKER);
            sessions.writeTo(out);
            out.flush();
            stateMachine.writeSnapshot(w.output());
            w.commit();
        }
        snapshotLatency.record(clock.nanoTime() - start);
        snapshotsTaken.increment();
        event.end();
        if (event.shouldCommit()) {
            event.node = nodeId;
            event.kind = "taken";
            event.index = meta.index();
            event.success = true;
            event.commit();
        }
        lastSnapshotIndex = meta.index();
        log.info("{}: took snapshot {}", nodeId, meta);
        snapshotTaken.accept(meta);
    }

    /**
     * How a write the core accepted fails when the node stops: it is in a leader's log, so the group may
     * commit it without this node, and the failure must say it may have taken effect (a "closed, nothing
     * happened" here once told a client its write failed, and a read then found it).
     */
    static RaftException acceptedWriteFailure(RaftException reason) {
        if (reason.mayHaveTakenEffect()) {
            return reason;
        }
        if (reason instanceof NodeClosedException) {
            return new NodeClosedException(reason.getMessage() + " after the write was accepted by a leader; it may"
                    + " still be committed", true);
        }
        return new IndeterminateException(reason.getMessage() + " after the write was accepted by a leader");
    }

    /** Fails every write and read still waiting here with {@code reason} (the node stopped). */
    void failWaiting(RaftException reason) {
        RaftException accepted = acceptedWriteFailure(reason);
        expected.failAll(accepted);
        for (ApplyTask.ReadAt r : waitingReads) {
            r.future().completeExceptionally(reason);
        }
        waitingReads.clear();
        configurationWaiters.failAll(accepted);
    }

    /** Fails the future of a task that will never run, or runs its callback. */
    static void failUnrun(ApplyTask task, RaftException reason) {
        if (task instanceof ApplyTask.Expect x) {
            x.future().completeExceptionally(acceptedWriteFailure(reason));
        } else if (task instanceof ApplyTask.ReadAt r) {
            r.future().completeExceptionally(reason);
        } else if (task instanceof ApplyTask.AwaitConfiguration a) {
            a.future().completeExceptionally(acceptedWriteFailure(reason));
        } else if (task instanceof ApplyTask.Callback c) {
            c.run().run();
        }
    }
}
