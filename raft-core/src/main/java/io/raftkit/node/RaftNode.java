package io.raftkit.node;

import io.raftkit.core.Configuration;
import io.raftkit.core.GroupChange;
import io.raftkit.core.LogStorage;
import io.raftkit.core.RaftCore;
import io.raftkit.core.RaftRole;
import io.raftkit.core.SnapshotMeta;
import io.raftkit.core.SnapshotStore;
import io.raftkit.core.StateMachine;
import io.raftkit.core.Transport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member of a Raft group, embedded in a service: the public face of RaftKit.
 *
 * <pre>{@code
 * RaftNode node = RaftNode.builder()
 *         .id("n1").members(Map.of("n1", "10.0.0.1:7001", "n2", "10.0.0.2:7001", "n3", "10.0.0.3:7001"))
 *         .stateMachine(myStateMachine)
 *         .transport(nettyTransport).logStorage(segmentedLog).snapshotStore(snapshotFiles)
 *         .build();
 * node.start();
 * byte[] result = node.submit(command).get();                       // committed and applied
 * byte[] answer = node.query(query, ReadConsistency.LINEARIZABLE).get();
 * }</pre>
 *
 * <h2>Threads</h2>
 * A node runs one event loop, which alone drives the Raft core (and does no file I/O): on a thread of its
 * own, or on the transport's I/O thread when the transport offers one ({@link NodeLoopHost}, as the Netty
 * transport does by default), so that messages cross no thread on their way in and out. It runs one apply
 * thread, and one thread for snapshot transfers, which reads and writes snapshot files. The
 * {@link StateMachine} is called one call at a time: by the event loop itself while applying is quick
 * and the apply thread has nothing queued, by the apply thread otherwise (snapshots always;
 * {@link NodeOptions#applyOnEventLoop} turns the first off). Time comes from the {@link Clock} given to
 * the builder: after any stall the event loop catches up with it before it handles anything. Futures
 * returned by {@link #submit} and {@link #query} complete where their entry or read was applied (or,
 * when refused up front, on the caller's thread). Do not block in their callbacks: on the event loop that
 * holds up the node's messages too; use the {@code *Async} variants for slow work, or give the builder a
 * {@link Builder#completionExecutor completion executor}.
 *
 * <h2>Failures</h2>
 * Futures fail with a {@link RaftException}: {@link NoLeaderException} (no leader within the timeout;
 * nothing happened), {@link NotCommittedException} (a new leader replaced the write; nothing happened),
 * {@link IndeterminateException} (leadership changed or time ran out after the write reached a leader:
 * it may have taken effect), {@link RequestRejectedException} (payload too large or too many pending
 * requests; nothing happened), {@link RequestTimeoutException} (not served in time with a leader known;
 * nothing happened), {@link NodeClosedException}, {@link NodeFailedException} (storage or state machine
 * failure; the node stopped).
 *
 * <h2>Ownership</h2>
 * The node owns the {@link Transport}, {@link LogStorage} and {@link SnapshotStore} given to its builder
 * from {@code build()} on: {@link #close()} closes them, and so does a {@code build()} that throws (a
 * segmented log holds a directory lock until closed). The {@link StateMachine} stays the caller's. Arrays
 * passed to {@link #submit} and {@link #query} are copied; arrays a future completes with are the
 * caller's.
 */
public final class RaftNode implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RaftNode.class);

    private final String id;
    private final Map<String, String> members;
    private final Transport transport;
    private final LogStorage storage;
    private final SnapshotStore snapshots;
    private final NodeOptions options;
    private final NodeMetrics metrics;
    /** Where callers' futures complete; null: on the apply thread. */
    private final java.util.concurrent.Executor completionExecutor;
    private final Applier applier;
    private final ApplyThread applyThread;
    private final ExecutorService snapshotIo;
    private final NodeDriver driver;
    private final RequestAdmission admission;
    private final RaftCore core;
    /** Role, term, leader and the rest as of the loop's last step, for any thread to read. */
    private final PublishedState state;
    private final RaftLoop loop;
    /** Stamps sampled writes' stages while a JFR recording takes them ({@code io.raftkit.WriteStages}). */
    private final StageTracer stages;
    private final Clock clock;

    private volatile boolean started;
    private final NodeLifecycle lifecycle = new NodeLifecycle();
    /** How this start began, for the log: a new group, joining one, or a restart from the log. */
    private final String startMode;

    private RaftNode(Builder b) throws IOException {
        this.id = b.id;
        this.members = b.joining ? Map.of() : Map.copyOf(b.members);
        this.transport = b.transport;
        this.storage = b.logStorage;
        this.snapshots = b.snapshotStore;
        this.options = b.options;
        this.completionExecutor = b.completionExecutor;
        this.clock = b.clock;
        this.admission = new RequestAdmission(id, options, clock);
        Configuration configuration = b.joining ? Configuration.EMPTY : Configuration.ofMembers(members);
        boolean fresh = storage.lastIndex() == 0 && storage.snapshotMeta().index() == 0
                && storage.hardState().term() == 0;
        this.startMode = !fresh ? "restarting from its log" : b.joining
                ? "joining a group: an empty node that waits to be added and never campaigns until then"
                : "starting a new group of " + members;
        this.loop = new RaftLoop(id, this::fail, options.maxInboundBytesPerPeer());
        this.stages = new StageTracer(id, b.clock);
        ByteBudget applyQueue = new ByteBudget("NodeOptions.maxApplyQueueBytes", options.maxApplyQueueBytes());
        this.applier = new Applier(id, b.stateMachine, snapshots, options.snapshotEveryEntries(),
                configuration, this::snapshotTaken, e -> stages.applied(e.index()), applyQueue, loop::wake, b.clock);
        this.applyThread = new ApplyThread(id, applier, this::fail, loop::inLoop,
                options.applyOnEventLoop() ? options.tickInterval().toNanos() / 10 : 0, System::nanoTime);
        this.metrics = new NodeMetrics(this, applier);
        NodeRecovery recovered = NodeRecovery.recover(id, configuration, applier, storage, options.raft(), b.seed);
        this.core = recovered.core();
        this.state = new PublishedState(id, core, metrics, applyThread::offer);
        this.snapshotIo = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "raft-snapshot-" + id);
            t.setDaemon(true);
            return t;
        });
        this.driver = new NodeDriver(core, storage, transport, snapshots, new SnapshotReceiver(id, snapshots),
                applyThread::offer, options, b.clock, this::runSnapshotIo, loop::execute, loop::wake, loop::failed,
                state::publish, applyQueue);
        driver.measurePersistence(metrics.persistLatency);
        driver.traceStages(stages);
        driver.track(recovered.alignment());
        loop.drive(driver, options.tickInterval().toNanos());
    }

    /** See {@link NodeMetrics#appliesOnEventLoop()}. */
    boolean appliesOnEventLoop() {
        return applyThread.appliesOnLoop();
    }

    /** On the apply thread: a snapshot is durable, so the log may drop what it covers (on the loop). */
    private void snapshotTaken(SnapshotMeta meta) {
        loop.execute(() -> driver.compactTo(meta));
    }

    /** Snapshot file work, off the event loop; dropped once the node is closing. */
    private void runSnapshotIo(Runnable task) {
        try {
            snapshotIo.execute(task);
        } catch (RejectedExecutionException closing) {
            // the node is shutting down: no transfer is continued
        }
    }

    /** A builder; {@code build()} validates everything. */
    public static Builder builder() {
        return new Builder();
    }

    /** Starts the threads and the transport. Call once. */
    public synchronized void start() {
        if (started) {
            throw new IllegalStateException("node " + id + " is already started");
        }
        if (lifecycle.closed()) {
            throw new IllegalStateException("node " + id + " is closed");
        }
        started = true;
        try {
            // The transport first: if its address cannot be bound, no thread has been started yet.
            // Messages arriving before the loop runs wait in its inbox.
            transport.start(loop);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        applyThread.start();
        loop.start("raft-loop-" + id, transport instanceof NodeLoopHost host ? host.nodeLoop() : null);
        log.info("{}: {}; term {}, configuration {} (the log's, whatever the builder gave, once it holds one)",
                id, startMode, state.term(), state.configuration());
    }

    /**
     * Replicates {@code command} and completes with the state machine's result once it is committed
     * and applied on this node. On a follower the command is forwarded to the leader. See the class
     * comment for the failures. The node copies {@code command}: the caller may reuse the array at once.
     */
    public CompletableFuture<byte[]> submit(byte[] command) {
        Objects.requireNonNull(command, "command");
        CompletableFuture<byte[]> refused = refuse(command.length, "command");
        if (refused != null) {
            metrics.writesFailed.increment();
            return refused;
        }
        long start = clock.nanoTime();
        CompletableFuture<byte[]> f = admission.track(command.length, metrics.writes, metrics.writesFailed,
                metrics.writeLatency, start);
        // The array becomes the log entry's payload, kept in memory for replication: a caller that
        // reused its buffer would otherwise rewrite the log. A copy costs little next to a write.
        loop.submit(true, command.clone(), false, f, start);
        return handOut(f);
    }

    /**
     * Opens a {@link ClientSession}: commands submitted through it are applied exactly once however often
     * they are retried, across leader changes, restarts and snapshots. Opening is a log entry; the future
     * completes once it is applied here, or fails as {@link #submit} does, or with
     * {@link RequestRejectedException.Reason#TOO_MANY_SESSIONS}. Settings: {@link NodeOptions#sessions()}.
     */
    public CompletableFuture<ClientSession> openSession() {
        SessionOptions o = options.sessions();
        byte[] record = new SessionRecord.Open(clock.wallMillis(), o.timeout().toMillis(), o.maxSessions(),
                o.maxResponseBytes()).encode();
        long retryNanos = o.retryTimeout().toNanos();
        return handOut(submitSessionRecord(record, 0).thenApply(
                id -> new ClientSession(this, java.nio.ByteBuffer.wrap(id).getLong(), retryNanos)));
    }

    /**
     * One attempt at command {@code sequence} of session {@code sessionId}, for a client that keeps its
     * session's numbering itself (a remote client behind a service, say, that retries over HTTP);
     * {@link ClientSession} does this for clients in this process. Sending the same (session, sequence)
     * again is answered from the session without applying the command again.
     *
     * @param ackedBelow the client holds the answers to every sequence number below this one (so the group
     *     may forget them); at most {@code sequence}
     * @return completes as {@link #submit} does, or fails with {@link SessionExpiredException} or
     *     {@link RequestRejectedException.Reason#SESSION_BACKLOG}; a command whose answer was already
     *     acknowledged fails without being applied
     */
    public CompletableFuture<byte[]> submitInSession(long sessionId, long sequence, long ackedBelow, byte[] command) {
        Objects.requireNonNull(command, "command");
        if (sequence < 1 || ackedBelow < 1 || ackedBelow > sequence) {
            throw new IllegalArgumentException("session sequence numbers start at 1 and ackedBelow must be in [1, "
                    + "sequence]; got sequence " + sequence + ", ackedBelow " + ackedBelow);
        }
        byte[] record = new SessionRecord.Command(clock.wallMillis(), sessionId, sequence, ackedBelow, command).encode();
        return handOut(submitSessionRecord(record, command.length));
    }

    /** Ends session {@code sessionId} in the group (see {@link ClientSession#close()}); unknown ids are ignored. */
    public CompletableFuture<Void> closeSession(long sessionId) {
        byte[] record = new SessionRecord.Close(clock.wallMillis(), sessionId).encode();
        return handOut(submitSessionRecord(record, 0).thenApply(v -> null));
    }

    /**
     * Writes a client-session record ({@link SessionRecord}) whose user command is {@code commandBytes}
     * long; the future completes on the apply thread (callers hand it out).
     */
    CompletableFuture<byte[]> submitSessionRecord(byte[] record, int commandBytes) {
        CompletableFuture<byte[]> refused = refuse(commandBytes, "command");
        if (refused != null) {
            metrics.writesFailed.increment();
            return refused;
        }
        CompletableFuture<byte[]> f = admission.track(commandBytes, metrics.writes, metrics.writesFailed,
                metrics.writeLatency, clock.nanoTime());
        loop.submitSessionRecord(record, f);
        return f;
    }

    /** The node's monotonic time ({@link Clock#nanoTime}): sessions measure their retry deadlines on it. */
    long nanoTime() {
        return clock.nanoTime();
    }

    /** The wall-clock time stamped into session records. */
    long wallMillis() {
        return clock.wallMillis();
    }

    /** This node's id, for messages. */
    String nodeId() {
        return id;
    }

    /** {@link #query(byte[], ReadConsistency)} at {@link ReadConsistency#LINEARIZABLE}. */
    public CompletableFuture<byte[]> query(byte[] query) {
        return query(query, ReadConsistency.LINEARIZABLE);
    }

    /**
     * Answers a read-only {@code query} from the state machine at the requested consistency. The node
     * copies {@code query} (it may run later, after a read index round): the caller may reuse the array.
     */
    public CompletableFuture<byte[]> query(byte[] query, ReadConsistency consistency) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(consistency, "consistency");
        CompletableFuture<byte[]> refused = refuse(query.length, "query");
        if (refused != null) {
            metrics.readsFailed.increment();
            return refused;
        }
        if (driver.diskStalled() && consistency != ReadConsistency.STALE) {
            admission.release(query.length); // let in by refuse, never tracked
            metrics.readsFailed.increment();
            return CompletableFuture.failedFuture(new RequestRejectedException(
                    RequestRejectedException.Reason.DISK_STALLED, "node " + id + "'s disk has stalled (a write"
                    + " outstanding past NodeOptions.diskStallTimeout); ask another node"));
        }
        query = query.clone();
        long start = clock.nanoTime();
        CompletableFuture<byte[]> f = admission.track(query.length, metrics.reads, metrics.readsFailed,
                metrics.readLatency, start);
        if (consistency == ReadConsistency.STALE) {
            applyThread.offer(new ApplyTask.ReadAt(0, query, f));
        } else {
            loop.submit(false, query, consistency == ReadConsistency.LEASE, f, start);
        }
        return handOut(f);
    }

    /** A failed future when the node cannot take a request of {@code bytes} now; null when it took it in. */
    private <T> CompletableFuture<T> refuse(int bytes, String what) {
        RaftException e;
        Throwable failure = lifecycle.failure();
        if (!started || lifecycle.closed()) {
            e = new NodeClosedException("node " + id + " is " + (lifecycle.closed() ? "closed" : "not started"),
                    false);
        } else if (failure != null) {
            e = new NodeFailedException("node " + id + " stopped after a failure: " + failure, failure);
        } else {
            e = admission.refusal(bytes, what);
        }
        if (e == null) {
            return null; // the caller tracks the request, which gives the bytes back when it ends
        }
        metrics.rejected.increment();
        return CompletableFuture.failedFuture(e);
    }

    /** Requests (writes and reads) waiting for an answer now. */
    int pendingRequests() {
        return admission.pending();
    }

    /** On a leader, bytes of entries appended in its term and not yet committed (as of its last step). */
    long uncommittedBytes() {
        return state.uncommittedBytes();
    }

    /** Snapshots sent whole, as leader or donor. */
    long snapshotsSent() {
        return driver.snapshotsSent.sum();
    }

    /** Peer messages dropped on arrival, over their sender's inbound budget. */
    long inboundDropped() {
        return loop.inbound.dropped.sum();
    }

    /** Payload bytes of the requests waiting for an answer now. */
    long pendingBytes() {
        return admission.pendingBytes();
    }

    /** What this node measures about itself; cheap to read, safe from any thread. */
    public NodeMetrics metrics() {
        return metrics;
    }

    /**
     * The future the caller gets: {@code f} itself, or with a completion executor a copy completed on it,
     * so that the caller's callbacks never hold up the apply thread.
     */
    <T> CompletableFuture<T> handOut(CompletableFuture<T> f) {
        java.util.concurrent.Executor executor = completionExecutor;
        if (executor == null) {
            return f;
        }
        CompletableFuture<T> out = new CompletableFuture<>();
        f.whenComplete((v, e) -> {
            Runnable complete = () -> {
                if (e != null) {
                    out.completeExceptionally(e);
                } else {
                    out.complete(v);
                }
            };
            try {
                executor.execute(complete);
            } catch (RejectedExecutionException shutDown) {
                complete.run(); // the caller's executor is gone: better here than never
            }
        });
        return out;
    }

    /** True between {@link #start()} and {@link #close()} (or a failure). */
    public boolean isRunning() {
        return started && !lifecycle.closed() && lifecycle.failure() == null;
    }

    /** Whether this node leads, as of its last step: a volatile read, no allocation (unlike {@link #status()}). */
    public boolean isLeader() {
        return state.role() == RaftRole.LEADER && isRunning();
    }

    /** The leader this node knows of, or null: a volatile read, no allocation. */
    public String leader() {
        return state.leader();
    }

    /**
     * Completes with the leader's id as soon as this node knows of one (at once when it does already), on
     * the apply thread; fails with {@link NoLeaderException} when none is known within {@code timeout}.
     */
    public CompletableFuture<String> awaitLeader(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        CompletableFuture<String> f = new CompletableFuture<>();
        LeaderListener listener = (l, t) -> {
            if (l != null) {
                f.complete(l);
            }
        };
        state.listen(listener);
        f.whenComplete((l, e) -> state.unlisten(listener));
        String known = state.leader();
        if (known != null) {
            f.complete(known);
        } else {
            CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS).execute(() ->
                    f.completeExceptionally(new NoLeaderException("node " + id + " knew of no leader within " + timeout)));
        }
        return handOut(f);
    }

    /** A point-in-time view of this node. {@code members} are the addresses of the configuration in force. */
    public NodeStatus status() {
        Throwable f = lifecycle.failure();
        PublishedState s = state;
        return new NodeStatus(id, s.role(), s.term(), s.leader(), s.commitIndex(), applier.appliedIndex(),
                applier.lastSnapshotIndex(), new LinkedHashMap<>(new java.util.TreeMap<>(s.configuration().addresses())),
                f == null ? null : String.valueOf(f),
                driver.diskStalled(), new BudgetUse(admission.pendingBytes(), admission.pendingBytesLimit(), admission.pending(),
                        options.maxPendingRequests(), s.uncommittedBytes(), options.raft().maxUncommittedBytes(),
                        applier.queuedBytes(), options.maxApplyQueueBytes(), applier.sessionAnswerBytes(),
                        loop.inbound.mostWaiting(), options.maxInboundBytesPerPeer(), driver.snapshotTransfers(),
                        options.snapshotChunkBytes()));
    }

    // ---- changes to the group ------------------------------------------------------------------------

    /**
     * Adds {@code member}, reachable at {@code address} ({@code host:port}), as a learner: it receives the
     * log (by snapshot first, when the log is compacted) without voting. The way to add a node with an
     * empty log: promote it once it has caught up. Asked of any node (a follower forwards it to the
     * leader); completes with the membership once the change is committed and applied on this node.
     *
     * <p>Fails with {@link GroupChangeRefusedException} when refused (nothing changed): another change
     * is not finished ({@code CHANGE_IN_PROGRESS}), or {@code member} is already a member or the address
     * is in use ({@code INVALID}); with {@link NoLeaderException}, {@link IndeterminateException} and the
     * rest as {@link #submit} does.
     */
    public CompletableFuture<Membership> addLearner(String member, String address) {
        return change(GroupChange.addLearner(member, address));
    }

    /**
     * Makes learner {@code member} a voter. Refused ({@code INVALID}) when it is no learner, or more than
     * 1,000 entries behind the leader's commit index (promote it once it has caught up). See
     * {@link #addLearner} for how it completes and fails.
     */
    public CompletableFuture<Membership> promote(String member) {
        return change(GroupChange.promote(member));
    }

    /**
     * Adds {@code member} at {@code address} straight as a voter. With an empty log it counts towards the
     * quorum before it can help commit; prefer {@link #addLearner} then {@link #promote}.
     */
    public CompletableFuture<Membership> addVoter(String member, String address) {
        return change(GroupChange.addVoter(member, address));
    }

    /**
     * Removes voter or learner {@code member}. Refused ({@code INVALID}) for a node that is not a member
     * or the last voter. A leader that removes itself keeps leading until the change commits, then steps
     * down; the others elect a leader among themselves.
     */
    public CompletableFuture<Membership> remove(String member) {
        return change(GroupChange.remove(member));
    }

    /**
     * Changes the whole membership at once: {@code voters} and {@code learners}, each by id to address
     * (an address may be null for a node already a member: its address is kept). When more than one voter
     * changes, the change goes through joint consensus and completes once the group has left it.
     */
    public CompletableFuture<Membership> changeMembership(Map<String, String> voters, Map<String, String> learners) {
        Map<String, String> addresses = new java.util.TreeMap<>();
        voters.forEach((k, v) -> {
            if (v != null) {
                addresses.put(k, v);
            }
        });
        learners.forEach((k, v) -> {
            if (v != null) {
                addresses.put(k, v);
            }
        });
        return change(GroupChange.replace(new Configuration(voters.keySet(), java.util.Set.of(), learners.keySet(),
                addresses)));
    }

    /**
     * Hands leadership to voter {@code target}, or (null) to the voter whose log is most up to date among
     * those the leader has heard from within the last election timeout (any voter if none has), passing
     * over voters the transport reports unreachable (a lost connection: say, a node just closed). The
     * leader stops taking writes (they wait and go to the next leader), brings the target up to date and
     * tells it to campaign at once. Completes with the new leader's id once this node knows of it. Fails
     * with {@link GroupChangeRefusedException} ({@code TRANSFER_REFUSED}) for a learner, a stranger, a
     * target the transport reports unreachable, no other voter reachable, or while another transfer is
     * under way, and with a {@link RaftException} when the leader gave the transfer up (the target did not
     * take over within an election timeout, or its connection was lost; the leader leads on and takes
     * writes again) or leadership did not move within {@code NodeOptions.requestTimeout}.
     */
    public CompletableFuture<String> transferLeadership(String target) {
        return submitChange(GroupChange.transferLeadership(target))
                .thenApply(id -> new String(id, java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * The membership as this node sees it: the configuration in force (the latest its log holds) and, when
     * it leads, how far each member's log has come. Asks the event loop; waits up to a second for it.
     */
    public Membership membership() {
        CompletableFuture<Membership> f = new CompletableFuture<>();
        if (loop.execute(() -> f.complete(currentMembership()))) {
            try {
                return f.get(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // fall through: the configuration alone
            }
        }
        return Membership.of(state.configuration(), Map.of(), state.commitIndex());
    }

    /** On the loop: the configuration and, on the leader, every member's match index. */
    private Membership currentMembership() {
        Configuration c = core.configuration();
        Map<String, Long> match = new java.util.TreeMap<>();
        if (core.role() == RaftRole.LEADER) {
            for (String m : c.members()) {
                match.put(m, core.matchIndex(m));
            }
        }
        return Membership.of(c, match, core.lastIndex());
    }

    private CompletableFuture<Membership> change(GroupChange change) {
        return submitChange(change).thenApply(encoded -> {
            Configuration c = Configuration.decode(encoded);
            return Membership.of(c, Map.of(), state.commitIndex());
        });
    }

    private CompletableFuture<byte[]> submitChange(GroupChange change) {
        CompletableFuture<byte[]> refused = refuse(0, "change");
        if (refused != null) {
            return refused;
        }
        CompletableFuture<byte[]> f = admission.track();
        loop.submitChange(change, f);
        return handOut(f);
    }

    /** Calls {@code listener} (on the apply thread) whenever the known leader changes. */
    public void addLeaderListener(LeaderListener listener) {
        state.listen(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Stops the node; pending requests fail with {@link NodeClosedException}. Idempotent: a call that finds
     * the node closing (or stopping after a failure) returns once it has stopped. Called from a callback
     * running on the node's event loop, it closes the node on a thread of its own and returns at once.
     *
     * <p>A leader first hands leadership to the most up-to-date voter it has heard from lately and waits
     * (at most {@link NodeOptions#closeTransferTimeout}) until it has taken over, so that a rolling restart costs
     * the group no election timeout. A leader of a group with no other voter, with none its transport
     * can reach (the last of a group closed one node after another), or with the hand-over turned off,
     * stops at once.
     */
    @Override
    public void close() {
        if (loop.inLoop()) {
            // A callback of a future completed on the event loop: closing waits for that loop to stop.
            Thread closer = new Thread(this::close, "raft-close-" + id);
            closer.start();
            return;
        }
        handOverLeadership();
        if (!lifecycle.markClosed()) {
            // Closing or stopping after a failure: return once stopped, as the first caller does; not on
            // the apply thread (a listener closing the node), which that caller waits for.
            if (!applyThread.isCurrent()) {
                lifecycle.awaitStopped();
            }
            return;
        }
        shutdown(new NodeClosedException("node " + id + " was closed", false));
        log.info("{}: closed", id);
    }

    private void handOverLeadership() {
        Duration wait = options.closeTransferTimeout();
        if (wait.isZero() || !isRunning() || state.role() != RaftRole.LEADER
                || state.configuration().voters().size() < 2) {
            return;
        }
        try {
            String next = transferLeadership(null).get(wait.toNanos(), TimeUnit.NANOSECONDS);
            log.info("{}: closing: handed leadership to {}", id, next);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            if (e instanceof java.util.concurrent.ExecutionException) {
                log.info("{}: closing as leader: leadership was not handed over: {}", id, e.getCause().getMessage());
            } else {
                log.info("{}: closing as leader: leadership did not move within {} (NodeOptions.closeTransferTimeout)",
                        id, wait);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void shutdown(RaftException reason) {
        try {
            transport.close();
            loop.stop(reason);
            snapshotIo.shutdownNow();
            try {
                if (!snapshotIo.awaitTermination(10, TimeUnit.SECONDS)) {
                    log.warn("{}: snapshot file work did not stop within 10 s", id);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            applyThread.stop(reason);
            storage.close();
            snapshots.close();
        } finally {
            lifecycle.stopped();
        }
    }

    // ---- callbacks from the loop and the apply thread -------------------------------------------------

    private void fail(Throwable cause) {
        if (!lifecycle.markFailed(cause)) {
            return;
        }
        log.error("{}: stopping after a failure", id, cause);
        Thread stopper = new Thread(() -> {
            if (lifecycle.markClosed()) {
                shutdown(new NodeFailedException("node " + id + " stopped: " + cause, cause));
            }
        }, "raft-stop-" + id);
        stopper.setDaemon(true);
        stopper.start();
    }

    /** Builds a {@link RaftNode}: one setter per collaborator. */
    public static final class Builder {
        private String id;
        private Map<String, String> members;
        private boolean joining;
        private java.util.concurrent.Executor completionExecutor;
        private StateMachine stateMachine;
        private Transport transport;
        private LogStorage logStorage;
        private SnapshotStore snapshotStore;
        private NodeOptions options = NodeOptions.defaults();
        private long seed = new SecureRandom().nextLong();
        private Clock clock = Clock.system();
        private boolean built;

        private Builder() {}

        /** This node's id; must be one of {@link #members}. */
        public Builder id(String v) {
            id = v;
            return this;
        }

        /**
         * This node joins an existing group instead of starting one: it starts with no configuration,
         * never campaigns, and waits for the group's leader to add it ({@link RaftNode#addLearner}). On a
         * restart the configuration its log holds is in force; call {@code join()} again or give the
         * members: either way the log decides.
         */
        public Builder join() {
            joining = true;
            return this;
        }

        /**
         * Every member of a new group, this node included: id to address ({@code host:port}). Used only
         * while the node's storage holds no configuration (its first start); afterwards the configuration
         * in its log is in force.
         */
        public Builder members(Map<String, String> v) {
            members = v;
            return this;
        }

        public Builder stateMachine(StateMachine v) {
            stateMachine = v;
            return this;
        }

        public Builder transport(Transport v) {
            transport = v;
            return this;
        }

        public Builder logStorage(LogStorage v) {
            logStorage = v;
            return this;
        }

        public Builder snapshotStore(SnapshotStore v) {
            snapshotStore = v;
            return this;
        }

        public Builder options(NodeOptions v) {
            options = v;
            return this;
        }

        /**
         * Completes the futures this node returns on {@code v} instead of on its apply thread, so that slow
         * callbacks cannot hold up applying for everyone (default: the apply thread, which costs no hand-off).
         */
        public Builder completionExecutor(java.util.concurrent.Executor v) {
            completionExecutor = v;
            return this;
        }

        /**
         * The time source for ticks, request deadlines and leases (default {@link Clock#system()}). For
         * tests that stall or move a node's time by hand.
         */
        public Builder clock(Clock v) {
            clock = v;
            return this;
        }

        /** Seeds the election-timeout randomness (default: a random seed). For reproducible tests. */
        public Builder seed(long v) {
            seed = v;
            return this;
        }

        /**
         * Validates the settings and recovers the node's state from its storage and snapshots.
         *
         * @throws IllegalArgumentException naming what is missing or inconsistent
         * @throws IllegalStateException when called twice
         * @throws UncheckedIOException when the snapshot store cannot be read
         */
        public RaftNode build() {
            if (built) {
                throw new IllegalStateException("build() was already called on this builder");
            }
            try {
                return validateAndBuild();
            } catch (RuntimeException | Error e) {
                releaseParts(e);
                throw e;
            }
        }

        private RaftNode validateAndBuild() {
            require(id != null && !id.isBlank(), "id is required");
            if (joining) {
                require(members == null, "give either members (to start a new group) or join() (to join one), not both");
            } else {
                require(members != null && !members.isEmpty(), "members are required (or join() to join a group)");
                require(members.containsKey(id), "members " + members.keySet() + " must include this node's id " + id);
            }
            require(stateMachine != null, "stateMachine is required");
            require(transport != null, "transport is required");
            require(logStorage != null, "logStorage is required");
            require(snapshotStore != null, "snapshotStore is required");
            require(options != null, "options must not be null");
            require(clock != null, "clock must not be null");
            String transportId = transport.nodeId();
            require(transportId == null || transportId.equals(id), "the transport speaks for node '" + transportId
                    + "' but this node's id is '" + id + "'");
            built = true;
            try {
                return new RaftNode(this);
            } catch (IOException e) {
                throw new UncheckedIOException("node " + id + ": cannot recover from its snapshot store", e);
            }
        }

        /** A failed build still owns what it was given: closes it, so a log's directory lock is released. */
        private void releaseParts(Throwable failure) {
            for (AutoCloseable part : new AutoCloseable[] {transport, logStorage, snapshotStore}) {
                try {
                    if (part != null) {
                        part.close();
                    }
                } catch (Exception e) {
                    failure.addSuppressed(e);
                }
            }
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException("RaftNode: " + message);
            }
        }
    }
}
