package io.raftkit.testkit.sim;

import io.raftkit.core.Entry;
import io.raftkit.core.StateMachine;
import io.raftkit.testkit.sim.Operation.Kind;
import io.raftkit.testkit.sim.Operation.Outcome;
import io.raftkit.testkit.sim.Operation.ReadMode;
import io.raftkit.node.NoLeaderException;
import io.raftkit.node.NotCommittedException;
import io.raftkit.node.ReadConsistency;
import io.raftkit.node.RequestRejectedException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Simulated clients and the history they record. Each client has at most one operation in flight: it
 * picks a random node (followers included), sends a write, a compare-and-set or a read, and waits for
 * the answer, a refusal, or its timeout. A write that times out, or whose node crashed, or whose
 * leader changed under it, is indeterminate; a read in that situation simply failed.
 *
 * <p>Session clients (the first {@code SimOptions.sessionClients}) open a client session first and
 * write through it; a write whose outcome is unknown, or that definitely failed, they send again with
 * the same sequence number (to any node) until it is answered: the history holds it as one operation,
 * from its first sending to its answer. Every node must apply it at most once, which is checked
 * here: an operation applied at two indices on one node was applied twice.
 *
 * <p>The history's clock counts events (invocations, completions, first applications), so it orders
 * them exactly.
 */
final class Workload extends SimClients {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Workload.class);

    /**
     * @param session for a session write, its session (0: none); {@code attempt} counts its sendings and
     *     {@code uncertain} says whether an earlier one may have been applied
     */
    private record InFlight(long requestId, long opId, int client, Kind kind, ReadMode mode, String key, String value,
                            String expected, String node, long invoke, KvCommand command, long session,
                            long sequence, int attempt, boolean uncertain) {}

    /** Sendings of one session write before its client gives up (its outcome then stays unknown). */
    private static final int MAX_ATTEMPTS = 8;

    /** A stale read: what it returned, and how far its node had applied when it answered. */
    record StaleRead(Operation op, long appliedIndex) {}

    private final List<Operation> history = new ArrayList<>();
    private final Map<Long, Operation> byOpId = new HashMap<>();
    private final Map<Long, InFlight> inFlight = new LinkedHashMap<>();
    private final Map<Long, Long> firstApplied = new HashMap<>();
    private final Map<Long, String> failedWrites = new HashMap<>();
    private final List<StaleRead> staleReads = new ArrayList<>();
    private final Map<String, String> lastSeen = new HashMap<>(); // "client/key" -> value
    /** "node/opId" -> the index it was applied at there. */
    private final Map<String, Long> appliedAt = new HashMap<>();
    private final long[] sessionOf;
    private final long[] lastSequence;
    /** Open-session requests in flight: request id -> client. */
    private final Map<Long, Integer> opening = new HashMap<>();
    private long clock;
    private long nextOpId = 1;
    private long nextRequestId = 1;
    private int timeouts;

    Workload(Simulation sim, SplittableRandom random, SimOptions options) {
        super(sim, random, options);
        this.sessionOf = new long[options.clients()];
        this.lastSequence = new long[options.clients()];
    }

    @Override
    void wake(int client) {
        String node = sim.nodeIds().get(random.nextInt(sim.nodeIds().size()));
        if (client < options.sessionClients() && sessionOf[client] == 0) {
            openSession(client, node);
            return;
        }
        String key = "k" + random.nextInt(options.keys());
        boolean read = random.nextInt(100) < options.readPercent();
        Kind kind;
        ReadMode mode = null;
        if (read) {
            kind = Kind.READ;
            int dice = random.nextInt(100);
            mode = dice < options.stalePercent() ? ReadMode.STALE
                    : dice < options.stalePercent() + options.leasePercent() ? ReadMode.LEASE : ReadMode.LINEARIZABLE;
        } else {
            kind = random.nextInt(100) < options.casPercent() ? Kind.CAS : Kind.PUT;
        }
        if (mode == ReadMode.LEASE && random.nextInt(10) < 7) {
            // Lease reads are only served by leaders (elsewhere they become ReadIndex reads), and a
            // client caches whom it believes leads: send most of them to a node that thinks it leads,
            // deposed-but-unaware leaders included, which is where a lease can go wrong.
            List<String> leaders = new ArrayList<>();
            for (SimNode n : sim.nodes()) {
                if (!n.crashed() && n.core().role() == io.raftkit.core.RaftRole.LEADER) {
                    leaders.add(n.id);
                }
            }
            if (!leaders.isEmpty()) {
                node = leaders.get(random.nextInt(leaders.size()));
            }
        }
        if (issue(client, node, kind, mode, key) < 0) {
            scheduleWake(client); // connection refused: nothing happened, try again later
        }
    }

    /** Sends one operation to {@code node}. Returns its id, or -1 when the node is down. */
    long issue(int client, String node, Kind kind, ReadMode mode, String key) {
        long opId = nextOpId++;
        long requestId = nextRequestId++;
        String value = kind == Kind.READ ? null : "v" + opId;
        String expected = null;
        if (kind == Kind.CAS) {
            expected = random.nextInt(10) < 7 ? lastSeen.getOrDefault(client + "/" + key, "") : "";
        }
        KvCommand command = kind == Kind.READ ? null : new KvCommand(opId, key, value, expected);
        long session = command != null && client >= 0 && client < options.sessionClients() ? sessionOf[client] : 0;
        long sequence = session == 0 ? 0 : ++lastSequence[client];
        log.debug("{} op{} {} {} {} {} via {} (request {}, session {}/{})", sim.events().now(), opId, kind, mode, key,
                value, node, requestId, session, sequence);
        InFlight f = new InFlight(requestId, opId, client, kind, mode, key, value, expected, node, ++clock, command,
                session, sequence, 1, false);
        inFlight.put(requestId, f);
        // The node may answer at once (a stale read, a refusal), so everything is recorded before.
        if (!submit(node, new ClientRequest(requestId, kind, mode, key, command, session, sequence, false))) {
            inFlight.remove(requestId);
            if (session != 0) {
                lastSequence[client]--; // never sent: the number is free again
            }
            return -1;
        }
        // The runtime fails a request after requestTimeout; a client gives up later, if nothing came back.
        sim.events().after(2 * options.requestTimeout(), new SimNode.Label(node, "client gives up on op" + opId),
                () -> timedOut(requestId));
        return opId;
    }

    // ---- answers from nodes ---------------------------------------------------------------------

    /** Sends {@code r} to {@code node} in the form {@code RaftNode}'s API takes; false when the node is down. */
    private boolean submit(String node, ClientRequest r) {
        SimRequest request;
        if (r.openSession()) {
            request = new SimRequest.OpenSession();
        } else if (r.inSession()) {
            request = new SimRequest.SessionWrite(r.session(), r.sequence(), r.command().encode());
        } else if (r.isWrite()) {
            request = new SimRequest.Write(r.command().encode());
        } else {
            request = new SimRequest.Read(r.key().getBytes(StandardCharsets.UTF_8), switch (r.mode()) {
                case LINEARIZABLE -> ReadConsistency.LINEARIZABLE;
                case LEASE -> ReadConsistency.LEASE;
                case STALE -> ReadConsistency.STALE;
            });
        }
        return sim.node(node).submit(r.requestId(), request, (value, error) -> answered(node, r, value, error));
    }

    /**
     * The runtime answered: what a client of {@code RaftNode} would see. A write's failure means
     * "definitely not applied" only for the exceptions the README's failure table says so of.
     */
    private void answered(String node, ClientRequest r, byte[] value, Throwable error) {
        if (r.openSession()) {
            sessionOpened(r.requestId(), value, error);
        } else if (r.inSession()) {
            if (error == null && SimStateMachine.opIdOf(value) != r.command().opId()) {
                sim.fail(node + ": op" + r.command().opId() + " was answered with the result of op"
                        + SimStateMachine.opIdOf(value));
            }
            sessionWriteAnswered(r.requestId(), error == null && SimStateMachine.changed(value), error);
        } else if (!r.isWrite()) {
            if (error != null) {
                readFailed(r.requestId());
            } else if (r.mode() == ReadMode.STALE) {
                staleReadDone(r.requestId(), SimStateMachine.valueOf(value), node, sim.node(node).applierIndex());
            } else {
                readDone(r.requestId(), SimStateMachine.valueOf(value));
            }
        } else if (error == null) {
            long applied = SimStateMachine.opIdOf(value);
            if (applied != r.command().opId()) {
                sim.fail(node + ": op" + r.command().opId() + " was answered with the result of op" + applied);
            }
            writeDone(r.requestId(), SimStateMachine.changed(value));
        } else if (error instanceof NotCommittedException || error instanceof NoLeaderException
                || error instanceof RequestRejectedException) {
            writeFailed(r.requestId(), r.command().opId(), error.getClass().getSimpleName() + " from " + node
                    + ": " + error.getMessage());
        } else {
            writeIndeterminate(r.requestId());
        }
    }

    private void writeDone(long requestId, boolean changed) {
        finish(requestId, Outcome.OK, null, changed);
    }

    private void writeIndeterminate(long requestId) {
        finish(requestId, Outcome.INFO, null, false);
    }

    /** The core said the write was definitely not appended (or was overwritten). It must never apply. */
    private void writeFailed(long requestId, long opId, String why) {
        failedWrites.put(opId, why);
        if (firstApplied.containsKey(opId)) {
            sim.fail("op" + opId + " was reported failed (" + why + ") but was already applied");
        }
        finish(requestId, Outcome.FAIL, null, false);
    }

    private void readDone(long requestId, String value) {
        finish(requestId, Outcome.OK, value, false);
    }

    private void readFailed(long requestId) {
        finish(requestId, Outcome.FAIL, null, false);
    }

    private void staleReadDone(long requestId, String value, String node, long appliedIndex) {
        Operation op = finish(requestId, Outcome.OK, value, false);
        if (op != null) {
            staleReads.add(new StaleRead(op, appliedIndex));
        }
    }

    /** The node crashed with the request: a write's fate is unknown, a read failed. */
    @Override
    public void lostWithNode(long requestId) {
        Integer opener = opening.remove(requestId);
        if (opener != null) {
            scheduleWake(opener);
            return;
        }
        InFlight f = inFlight.get(requestId);
        if (f != null && f.session != 0) {
            retry(f, true);
        } else if (f != null) {
            finish(requestId, f.kind == Kind.READ ? Outcome.FAIL : Outcome.INFO, null, false);
        }
    }

    private void timedOut(long requestId) {
        InFlight f = inFlight.get(requestId);
        if (f == null) {
            return;
        }
        timeouts++;
        sim.node(f.node).forget(requestId);
        if (f.session != 0) {
            retry(f, true);
            return;
        }
        finish(requestId, f.kind == Kind.READ ? Outcome.FAIL : Outcome.INFO, null, false);
    }

    // ---- client sessions --------------------------------------------------------------------------

    private void openSession(int client, String node) {
        long requestId = nextRequestId++;
        opening.put(requestId, client);
        if (!submit(node, ClientRequest.open(requestId))) {
            opening.remove(requestId);
            scheduleWake(client);
            return;
        }
        sim.events().after(2 * options.requestTimeout(), new SimNode.Label(node, "client" + client + " gives up opening"),
                () -> {
                    if (opening.remove(requestId) != null) {
                        sim.node(node).forget(requestId);
                        scheduleWake(client);
                    }
                });
    }

    /** A node answered an open-session request. */
    private void sessionOpened(long requestId, byte[] id, Throwable error) {
        Integer client = opening.remove(requestId);
        if (client == null) {
            return;
        }
        if (error == null) {
            sessionOf[client] = java.nio.ByteBuffer.wrap(id).getLong();
            lastSequence[client] = 0;
        }
        scheduleWake(client);
    }

    /**
     * A node answered a session write. Success ends it; an expired session ends it too (as failed if no
     * sending may have been applied, else unknown); anything else is sent again, as {@code ClientSession} does.
     */
    private void sessionWriteAnswered(long requestId, boolean changed, Throwable error) {
        InFlight f = inFlight.get(requestId);
        if (f == null) {
            return;
        }
        if (error == null) {
            finish(requestId, Outcome.OK, null, changed);
        } else if (error instanceof io.raftkit.node.SessionExpiredException
                || error instanceof io.raftkit.node.RequestRejectedException r
                && r.reason() == io.raftkit.node.RequestRejectedException.Reason.ALREADY_ACKNOWLEDGED) {
            sessionOf[f.client] = 0;
            endSessionWrite(f, error.getMessage());
        } else {
            boolean definite = error instanceof io.raftkit.node.NotCommittedException
                    || error instanceof io.raftkit.node.NoLeaderException
                    || error instanceof io.raftkit.node.RequestRejectedException;
            retry(f, !definite);
        }
    }

    private void endSessionWrite(InFlight f, String why) {
        if (f.uncertain) {
            finish(f.requestId, Outcome.INFO, null, false);
        } else {
            writeFailed(f.requestId, f.opId, why);
        }
    }

    /** Sends a session write again, same session and sequence number, to a random node after a pause. */
    private void retry(InFlight f, boolean mayHaveApplied) {
        inFlight.remove(f.requestId);
        InFlight again = new InFlight(nextRequestId++, f.opId, f.client, f.kind, f.mode, f.key, f.value, f.expected,
                retryNode(), f.invoke, f.command, f.session, f.sequence, f.attempt + 1, f.uncertain || mayHaveApplied);
        inFlight.put(again.requestId, again);
        if (again.attempt > MAX_ATTEMPTS || !issuing()) {
            // In the liveness phase clients only wrap up: a retry sent to a node removed from the group
            // could wait out the budget, and the safety phase has had the retries.
            endSessionWrite(again, "given up after " + f.attempt + " sendings");
            return;
        }
        sim.events().after(1 + random.nextLong(options.thinkMax()), new SimNode.Label("client" + f.client,
                "retries op" + f.opId), () -> send(again));
    }

    /** Mostly a node that believes it leads, as a client following leader hints would pick; else any. */
    private String retryNode() {
        List<String> leaders = new ArrayList<>();
        for (SimNode n : sim.nodes()) {
            if (!n.crashed() && n.core().role() == io.raftkit.core.RaftRole.LEADER) {
                leaders.add(n.id);
            }
        }
        if (!leaders.isEmpty() && random.nextInt(10) < 7) {
            return leaders.get(random.nextInt(leaders.size()));
        }
        return sim.nodeIds().get(random.nextInt(sim.nodeIds().size()));
    }

    private void send(InFlight f) {
        if (!inFlight.containsKey(f.requestId)) {
            return;
        }
        log.debug("{} op{} sent again ({}) via {} (request {}, session {}/{})", sim.events().now(), f.opId, f.attempt,
                f.node, f.requestId, f.session, f.sequence);
        if (!submit(f.node, new ClientRequest(f.requestId, f.kind, f.mode, f.key, f.command, f.session,
                f.sequence, false))) {
            retry(f, false);
            return;
        }
        sim.events().after(2 * options.requestTimeout(), new SimNode.Label(f.node, "client gives up on op" + f.opId),
                () -> timedOut(f.requestId));
    }

    /** Some node applied op {@code opId} at {@code index}. */
    void applied(long opId, String node, long index) {
        Long before = appliedAt.putIfAbsent(node + "/" + opId, index);
        if (before != null && before != index) {
            sim.fail("op" + opId + " was applied twice on " + node + ": at index " + before + " and at " + index
                    + " (a retried session command must be answered from its session, not applied again)");
        }
        clock++;
        firstApplied.putIfAbsent(opId, clock);
        String why = failedWrites.get(opId);
        if (why != null) {
            sim.fail("op" + opId + " was reported failed (" + why + ") but " + node + " applied it at index " + index);
        }
    }

    private Operation finish(long requestId, Outcome outcome, String readValue, boolean casSucceeded) {
        InFlight f = inFlight.remove(requestId);
        if (f == null) {
            return null;
        }
        clock++;
        log.debug("{} op{} ends {} {}", sim.events().now(), f.opId, outcome, readValue);
        long complete = outcome == Outcome.INFO ? Long.MAX_VALUE : clock;
        Operation op = new Operation(f.opId, f.kind, f.key, f.value, f.expected, f.mode, f.node, f.invoke, complete,
                outcome, readValue, casSucceeded);
        history.add(op);
        byOpId.put(f.opId, op);
        if (outcome == Outcome.OK) {
            String seen = f.kind == Kind.READ ? (readValue == null ? "" : readValue) : casSucceeded || f.kind == Kind.PUT ? f.value : null;
            if (seen != null && f.client >= 0) {
                lastSeen.put(f.client + "/" + f.key, seen);
            }
        }
        if (f.client >= 0) {
            scheduleWake(f.client);
        }
        return op;
    }

    // ---- the application's side of the simulation --------------------------------------------------

    @Override
    public StateMachine stateMachine(String node) {
        return new SimStateMachine(node, this);
    }

    @Override
    public StateMachine replica() {
        return new SimStateMachine("replay", null);
    }

    @Override
    public String describe(byte[] image) {
        return "{" + new String(image, StandardCharsets.UTF_8).replace('\u0001', '=').replace('\u0002', ' ').trim() + "}";
    }

    @Override
    public long probe(String node, boolean write) {
        return write ? issue(-1, node, Kind.PUT, null, "k0") : issue(-1, node, Kind.READ, ReadMode.LINEARIZABLE, "k0");
    }

    @Override
    public ProbeOutcome probeOutcome(long handle) {
        Operation op = byOpId.get(handle);
        return op == null ? ProbeOutcome.OPEN : op.outcome() == Outcome.OK ? ProbeOutcome.OK : ProbeOutcome.FAILED;
    }

    @Override
    public String describeProbe(long handle) {
        return String.valueOf(byOpId.get(handle));
    }

    /** Every key, asked of every node and of a replay of the log at the end of a run. */
    @Override
    public List<byte[]> endQueries() {
        List<byte[]> keys = new ArrayList<>();
        for (int k = 0; k < options.keys(); k++) {
            keys.add(("k" + k).getBytes(StandardCharsets.UTF_8));
        }
        return keys;
    }

    @Override
    public String checkAtEnd(List<Entry> committed) {
        io.raftkit.testkit.check.LinearizabilityChecker.Result lin = KvHistoryCheck.check(resolvedHistory());
        if (!lin.linearizable()) {
            return "linearizability: " + lin.explanation();
        }
        if (lin.inconclusive()) {
            log.warn("seed={} linearizability check inconclusive: {}", options.seed(), lin.explanation());
        }
        return StaleReadChecker.check(staleReads, committed);
    }

    @Override
    public Summary summary() {
        int ok = 0;
        int failed = 0;
        int info = 0;
        long fingerprint = 0;
        for (Operation op : history) {
            switch (op.outcome()) {
                case OK -> ok++;
                case FAIL -> failed++;
                case INFO -> info++;
            }
            fingerprint = fingerprint * 31 + op.toString().hashCode();
        }
        return new Summary(history.size(), ok, failed, info, timeouts, fingerprint);
    }

    // ---- for the checks at the end ----------------------------------------------------------------

    /**
     * The history with indeterminate writes narrowed by what the state machines show: a write no node
     * ever applied never took effect (no read or CAS result could have seen it, since both come from
     * applied state), and one that was applied took effect no later than its first application.
     */
    List<Operation> resolvedHistory() {
        List<Operation> out = new ArrayList<>(history.size());
        for (Operation op : history) {
            if (op.outcome() == Outcome.INFO) {
                Long at = firstApplied.get(op.id());
                if (at == null) {
                    op = new Operation(op.id(), op.kind(), op.key(), op.value(), op.expected(), op.mode(), op.node(),
                            op.invoke(), op.invoke() + 1, Outcome.FAIL, null, false);
                } else {
                    op = new Operation(op.id(), op.kind(), op.key(), op.value(), op.expected(), op.mode(), op.node(),
                            op.invoke(), Math.max(at, op.invoke() + 1), Outcome.INFO, null, false);
                }
            }
            out.add(op);
        }
        return out;
    }

    List<Operation> history() {
        return history;
    }

    Operation outcome(long opId) {
        return byOpId.get(opId);
    }

    List<StaleRead> staleReads() {
        return staleReads;
    }

    @Override
    public int inFlight() {
        return inFlight.size();
    }

    int timeouts() {
        return timeouts;
    }
}
