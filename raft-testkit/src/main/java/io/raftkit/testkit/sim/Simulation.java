package io.raftkit.testkit.sim;

import io.raftkit.core.Configuration;
import io.raftkit.core.RaftCore;
import io.raftkit.core.RaftRole;
import io.raftkit.core.message.Message;
import io.raftkit.node.NodeOptions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A deterministic simulation of a Raft group (TigerBeetle's VOPR, FoundationDB's simulator): real
 * {@link RaftCore}s on {@link SimDisk}s, talking through a {@link SimNetwork}, with clients
 * (a {@link SimApplication}) and faults ({@link Nemesis}), all on simulated time in one thread, all drawn from
 * one seed. The same seed replays the same run, event for event.
 *
 * <p>A run has two phases. Safety: faults come and go while clients work; the {@link SafetyChecker}
 * runs after every step. Liveness: every fault is healed and the network becomes reliable; within a
 * tick budget a leader that every node follows must emerge, a write and a linearizable read through
 * every node must succeed, every outstanding request must end, and all nodes must apply everything.
 * Then the history must be linearizable and every stale read must be explained by the committed log.
 */
public final class Simulation {

    private static final Logger log = LoggerFactory.getLogger(Simulation.class);
    private static final int TRACE_EVENTS = 60;
    /** {@code -Draftkit.sim.trace=true} logs every event (use with one seed). */
    private static final boolean TRACE_ALL = Boolean.getBoolean("raftkit.sim.trace");

    private record TraceLine(long at, Object subject) {}

    private final SimOptions options;
    private final List<String> bugs;
    private final SplittableRandom random;
    private final SplittableRandom coreSeeds;
    private final EventQueue events = new EventQueue();
    private final List<String> ids = new ArrayList<>();
    private final List<SimNode> nodes = new ArrayList<>();
    private final Configuration configuration;
    private final NodeOptions nodeOptions;
    private final SimNetwork network;
    private final SplittableRandom applicationRandom;
    private final SimApplication application;
    private final Consumer<RaftCore> coreStarted;
    private final String replayCommand;
    private final Nemesis nemesis;
    private final ConnectionLosses connectionLosses;
    private final SafetyChecker checker = new SafetyChecker(this);
    private final ArrayDeque<TraceLine> trace = new ArrayDeque<>();
    private boolean healed;
    private int probeRetries;
    private long steps;

    /**
     * @param application makes what the nodes replicate and what the clients do (called once, with this simulation)
     * @param coreStarted called with each core a node starts (a planted core bug goes in here)
     * @param replayCommand the line that replays this run, for failure messages
     */
    Simulation(SimOptions options, List<String> bugs, Function<Simulation, SimApplication> application,
               Consumer<RaftCore> coreStarted, String replayCommand) {
        this.options = options;
        this.bugs = List.copyOf(bugs);
        this.coreStarted = coreStarted;
        this.replayCommand = replayCommand;
        SplittableRandom master = new SplittableRandom(options.seed() ^ 0x5DEECE66DL);
        this.random = master.split();
        this.coreSeeds = master.split();
        for (int i = 1; i <= options.nodes(); i++) {
            ids.add("n" + i);
        }
        this.configuration = new Configuration(new HashSet<>(ids.subList(0, options.initialVoters())));
        this.nodeOptions = options.nodeOptions(!bugs.contains(SimBugs.LEADER_IGNORES_STALLED_DISK));
        checker.startsWith(configuration);
        for (int i = 0; i < ids.size(); i++) {
            nodes.add(new SimNode(ids.get(i), options.tickPeriods()[i], this));
        }
        this.network = new SimNetwork(events, master.split(), options, ids, this::deliver);
        this.applicationRandom = master.split();
        this.application = application.apply(this);
        this.nemesis = new Nemesis(this, master.split(), options);
        this.connectionLosses = new ConnectionLosses(this, master.split(), options);
    }

    /** Runs the schedule; throws {@link SimulationFailure} when a check fails. */
    SimResult run() {
        log.debug("{}{}", options.describe(), bugs.isEmpty() ? "" : " bugs=" + bugs);
        try {
            for (SimNode n : nodes) {
                n.start();
            }
            application.start();
            nemesis.start();
            connectionLosses.start();
            while (events.now() < options.safetyTime() && step()) {
                // the safety phase: faults and clients
            }
            heal();
            long healedAt = events.now();
            long ticksToLeader = awaitLiveness(healedAt);
            checker.checkLogsPairwise();
            checker.checkNodesAgainstCommittedLog();
            checker.checkQueriesAgainstCommittedLog(application.endQueries());
            String failed = application.checkAtEnd(checker.committedLog());
            if (failed != null) {
                fail(failed);
            }
            SimResult result = result(ticksToLeader);
            log.info("{}", result); // a campaign's one line per seed; a failure carries its own story
            return result;
        } catch (SimulationFailure f) {
            throw f;
        } catch (RuntimeException | AssertionError e) {
            throw failure("unexpected " + e, e);
        }
    }

    // ---- scripted schedules (a test plays the nemesis and the clients) ------------------------------

    /** Starts the nodes only: no clients, no faults; the test drives the run with {@link #runUntil}. */
    void startScripted() {
        for (SimNode n : nodes) {
            n.start();
        }
    }

    /**
     * Runs events, checking safety after each, until {@code condition} holds; fails the run if it does
     * not within {@code ticks} nominal ticks of simulated time.
     */
    void runUntil(String what, long ticks, java.util.function.BooleanSupplier condition) {
        long deadline = events.now() + ticks * SimOptions.TICK;
        while (!condition.getAsBoolean()) {
            if (events.now() > deadline || !step()) {
                fail("scripted schedule: no " + what + " within " + ticks + " ticks; " + describeNodes());
            }
        }
    }

    /** The node every running node follows, or null. */
    String leaderOf(List<String> among) {
        String leader = null;
        for (String id : among) {
            SimNode n = node(id);
            if (!n.crashed() && !n.stalled() && n.core().role() == RaftRole.LEADER) {
                leader = id;
            }
        }
        if (leader == null) {
            return null;
        }
        for (String id : among) {
            if (!leader.equals(node(id).core().leader())) {
                return null;
            }
        }
        return leader;
    }

    private boolean step() {
        if (!events.runNext()) {
            return false;
        }
        steps++;
        trace.add(new TraceLine(events.now(), events.current()));
        if (TRACE_ALL) {
            log.info("{} {}", events.now(), events.current());
        }
        if (trace.size() > TRACE_EVENTS) {
            trace.poll();
        }
        checker.afterStep();
        return true;
    }

    private void deliver(Message m) {
        nodes.get(ids.indexOf(m.to())).receive(m);
    }

    // ---- faults (called by the Nemesis) ------------------------------------------------------------

    void crash(SimNode n) {
        int surviving = 0;
        int torn = 0;
        if (random.nextDouble() < options.tornCrashRate()) {
            surviving = random.nextInt(n.disk().pendingWrites() + 1);
            torn = random.nextInt(3);
        }
        n.crash(surviving, torn);
        checker.crashed(n);
        connectionLosses.crashed(n);
    }

    void restart(SimNode n) {
        checker.restarted(n.id);
        n.start();
    }

    private void heal() {
        healed = true;
        nemesis.stop();
        connectionLosses.stop();
        application.stopIssuing();
        network.heal();
        network.stabilize();
        for (SimNode n : nodes) {
            if (n.crashed()) {
                restart(n);
            } else if (n.stalled()) {
                n.resume();
            }
        }
        checker.afterStep();
    }

    // ---- liveness ------------------------------------------------------------------------------------

    /** Returns the ticks it took after the heal until every node followed one leader. */
    private long awaitLiveness(long healedAt) {
        long deadline = healedAt + options.livenessBudget();
        String leader = null;
        while (leader == null) {
            if (events.now() > deadline || !step()) {
                fail("liveness: no leader followed by every node within " + options.livenessBudget() / SimOptions.TICK
                        + " ticks after the faults healed; " + describeNodes());
            }
            leader = stableLeader();
        }
        long ticksToLeader = (events.now() - healedAt) / SimOptions.TICK;
        if (options.hangLeaderDisk() && leadershipCanMoveOff(leader)) {
            leader = awaitLeaderOffHungDisk(leader, deadline);
        }
        List<Long> probes = new ArrayList<>();
        List<String> probed = new ArrayList<>();
        List<Boolean> writes = new ArrayList<>();
        for (SimNode n : members(node(leader))) {
            for (boolean write : new boolean[] {true, false}) {
                probes.add(application.probe(n.id, write));
                probed.add(n.id);
                writes.add(write);
            }
        }
        while (!converged(probes, probed, writes)) {
            if (events.now() > deadline || !step()) {
                StringBuilder why = new StringBuilder();
                for (long p : probes) {
                    why.append("\n  probe op").append(p).append(": ").append(p < 0 ? "waiting to retry" : application.describeProbe(p));
                }
                fail("liveness: after a leader emerged at tick " + ticksToLeader + " after the heal, requests did not all "
                        + "complete and nodes did not converge within the budget; " + application.inFlight()
                        + " request(s) still open; " + describeNodes() + why);
            }
        }
        return ticksToLeader;
    }

    /**
     * The leader when every member of its configuration is up, in its term, and follows it; else null.
     * Nodes that are not members (spares, removed nodes) take no part.
     */
    private String stableLeader() {
        return stableLeaderWithout(null);
    }

    /** As {@link #stableLeader}, leaving node {@code ignored} out: neither leader nor follower (null: none). */
    private String stableLeaderWithout(String ignored) {
        SimNode leader = null;
        for (SimNode n : nodes) {
            if (!n.crashed() && !n.id.equals(ignored) && n.core().role() == RaftRole.LEADER
                    && (leader == null || n.core().term() > leader.core().term())) {
                leader = n;
            }
        }
        if (leader == null) {
            return null;
        }
        for (SimNode n : members(leader)) {
            if (n.id.equals(ignored)) {
                continue;
            }
            if (n.crashed() || n.core().term() != leader.core().term() || !leader.id.equals(n.core().leader())) {
                return null;
            }
        }
        return leader.id;
    }

    /**
     * Whether the others can elect a leader without {@code leader}: a settled configuration (not joint,
     * nothing uncommitted) of at least three voters, so that the others are a majority of it.
     */
    private boolean leadershipCanMoveOff(String leader) {
        RaftCore c = node(leader).core();
        return !c.configuration().joint() && c.configurationIndex() <= c.commitIndex()
                && c.configuration().voters().size() >= 3 && c.configuration().voters().contains(leader);
    }

    /**
     * The leader's disk hangs (no log or vote write of it completes) and a write arrives. It must stop leading (a leader
     * counts its disk stalled after {@code NodeOptions.diskStallTimeout}, steps down and stands for no
     * election) so that the others, a healthy majority, elect a leader among themselves. Then the disk
     * answers again. Returns the leader every node follows afterwards.
     */
    private String awaitLeaderOffHungDisk(String sick, long deadline) {
        SimNode n = node(sick);
        n.hangDisk();
        long hungAt = events.now();
        // A hung disk with nothing to write is harmless and cannot be noticed; a write makes it matter. One
        // the leader refuses (a budget full of writes still committing) is sent again a tick later.
        long write = application.probe(sick, true);
        long retryAt = events.now() + SimOptions.TICK;
        String next = null;
        while (next == null) {
            if (write < 0 || application.probeOutcome(write) == SimApplication.ProbeOutcome.FAILED) {
                if (events.now() >= retryAt) {
                    write = application.probe(sick, true);
                    retryAt = events.now() + SimOptions.TICK;
                }
            }
            if (events.now() > deadline || !step()) {
                fail("liveness: " + sick + "'s disk hung while it led (at tick " + hungAt / SimOptions.TICK
                        + "), and no other node led within the budget: a leader whose log writes do not complete"
                        + " must step down (NodeOptions.diskStallTimeout) so that the healthy majority can elect; "
                        + describeNodes());
            }
            next = stableLeaderWithout(sick);
        }
        log.debug("seed={} {}'s disk hung at {}; {} leads at {}", options.seed(), sick, hungAt, next, events.now());
        n.unhangDisk();
        String leader = null;
        while (leader == null) {
            if (events.now() > deadline || !step()) {
                fail("liveness: after " + sick + "'s disk answered again, no leader followed by every node within the"
                        + " budget; " + describeNodes());
            }
            leader = stableLeader();
        }
        return leader;
    }

    /** True unless the newest leader's configuration no longer has {@code id} (no leader: true). */
    private boolean stillMember(String id) {
        SimNode leader = null;
        for (SimNode n : nodes) {
            if (!n.crashed() && n.core().role() == RaftRole.LEADER
                    && (leader == null || n.core().term() > leader.core().term())) {
                leader = n;
            }
        }
        return leader == null || leader.core().configuration().isMember(id);
    }

    /** The nodes that are members of {@code leader}'s configuration, itself included. */
    private List<SimNode> members(SimNode leader) {
        List<SimNode> members = new ArrayList<>();
        for (SimNode n : nodes) {
            if (leader.core().configuration().isMember(n.id)) {
                members.add(n);
            }
        }
        return members;
    }

    /**
     * True when every probe succeeded, no request is open, and all nodes applied the same, fully
     * committed log. A probe that failed or became indeterminate (a leader can still change right after
     * the heal, say when a leader that was cut off steps down) is sent again: what must hold is that
     * requests eventually succeed, not that the first try does.
     */
    private boolean converged(List<Long> probes, List<String> probed, List<Boolean> writes) {
        boolean done = true;
        for (int i = 0; i < probes.size(); i++) {
            if (!stillMember(probed.get(i))) {
                continue; // a change still under way when the faults healed removed this node since
            }
            long p = probes.get(i);
            SimApplication.ProbeOutcome outcome = p < 0 ? SimApplication.ProbeOutcome.OPEN : application.probeOutcome(p);
            if (outcome == SimApplication.ProbeOutcome.OPEN) {
                done = false;
            } else if (outcome == SimApplication.ProbeOutcome.FAILED) {
                probeRetries++;
                int slot = i;
                String node = probed.get(i);
                probes.set(slot, -1L); // a client waits a tick before trying again
                events.after(SimOptions.TICK, new SimNode.Label(node, "retries probe op" + p), () -> {
                    if (stillMember(node)) {
                        probes.set(slot, application.probe(node, writes.get(slot)));
                    }
                });
                done = false;
            }
        }
        if (!done) {
            return false;
        }
        if (application.inFlight() > 0) {
            return false;
        }
        String leader = stableLeader();
        if (leader == null) {
            return false;
        }
        RaftCore first = node(leader).core();
        if (first.configuration().joint() || first.configurationIndex() > first.commitIndex()) {
            return false; // a configuration change is still on its way
        }
        for (SimNode n : members(node(leader))) {
            RaftCore c = n.core();
            if (c.commitIndex() != first.commitIndex() || c.lastIndex() != c.commitIndex()
                    || n.appliedIndex() != c.commitIndex()) {
                return false;
            }
        }
        return true;
    }

    private String describeNodes() {
        StringBuilder sb = new StringBuilder("nodes:");
        for (SimNode n : nodes) {
            RaftCore c = n.core();
            sb.append(String.format("%n  %s %s term=%d leader=%s last=%d commit=%d applied=%d%s%s%s config %s @%d", n.id,
                    c.role(), c.term(), c.leader(), c.lastIndex(), c.commitIndex(), n.appliedIndex(),
                    n.crashed() ? " CRASHED" : "", n.stalled() ? " STALLED" : "", n.diskHung() ? " DISK-HUNG" : "",
                    c.configuration(), c.configurationIndex()));
        }
        return sb.toString();
    }

    // ---- failure and result ------------------------------------------------------------------------

    /** Stops the run: a property does not hold. */
    void fail(String what) {
        throw failure(what, null);
    }

    private SimulationFailure failure(String what, Throwable cause) {
        StringBuilder sb = new StringBuilder();
        sb.append("seed=").append(options.seed());
        if (!bugs.isEmpty()) {
            sb.append(" bugs=").append(String.join(",", bugs));
        }
        sb.append(" mix=").append(options.mix()).append(" at tick ").append(events.now() / SimOptions.TICK)
                .append(" (step ").append(steps).append("): ").append(what);
        sb.append("\n  replay: ").append(replayCommand);
        sb.append("\n  options: ").append(options.describe());
        sb.append("\n  last events:");
        for (TraceLine t : trace) {
            sb.append("\n    ").append(t.at()).append(' ').append(t.subject());
        }
        return new SimulationFailure(options.seed(), sb.toString(), cause);
    }

    private SimResult result(long ticksToLeader) {
        SimApplication.Summary clients = application.summary();
        long fingerprint = options.seed() * 31 + clients.fingerprint();
        for (SimNode n : nodes) {
            fingerprint = fingerprint * 31 + n.core().term() * 1_000_003 + n.core().commitIndex();
        }
        fingerprint = fingerprint * 31 + steps;
        int taken = 0;
        int sent = 0;
        int installed = 0;
        for (SimNode n : nodes) {
            taken += n.snapshotsTaken();
            sent += n.snapshotsSent();
            installed += n.snapshotsInstalled();
        }
        return new SimResult(options.seed(), options.mix(), steps, events.now() / SimOptions.TICK,
                clients.operations(), clients.ok(), clients.failed(), clients.indeterminate(), ticksToLeader, network.sent(),
                network.dropped(), nemesis.summary() + " " + connectionLosses + " timeouts=" + clients.timeouts() + " probeRetries=" + probeRetries,
                new SimResult.Snapshots(taken, sent, installed), fingerprint);
    }

    // ---- for the parts -------------------------------------------------------------------------------

    SimOptions options() {
        return options;
    }

    List<String> bugs() {
        return bugs;
    }

    EventQueue events() {
        return events;
    }

    SplittableRandom random() {
        return random;
    }

    /** A seed for a new core (a start or a restart), drawn in the order cores start. */
    long coreSeed() {
        return coreSeeds.nextLong();
    }

    Configuration configuration() {
        return configuration;
    }

    NodeOptions nodeOptions() {
        return nodeOptions;
    }

    SimNetwork network() {
        return network;
    }

    SimApplication application() {
        return application;
    }

    /** The application's own random source, split from the run's seed. */
    SplittableRandom applicationRandom() {
        return applicationRandom;
    }

    /** A node started a core (at start and at each restart). */
    void coreStarted(RaftCore core) {
        coreStarted.accept(core);
    }

    SafetyChecker checker() {
        return checker;
    }

    List<SimNode> nodes() {
        return nodes;
    }

    List<String> nodeIds() {
        return ids;
    }

    SimNode node(String id) {
        return nodes.get(ids.indexOf(id));
    }

    boolean healed() {
        return healed;
    }
}
