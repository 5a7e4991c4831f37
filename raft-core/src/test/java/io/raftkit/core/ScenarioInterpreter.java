package io.raftkit.core;

import io.raftkit.core.ScenarioFile.Command;
import io.raftkit.core.message.DelegateSnapshot;
import io.raftkit.core.message.InstallSnapshot;
import io.raftkit.core.message.InstallSnapshotResponse;
import io.raftkit.core.message.Message;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Carries out scenario commands on a {@link CoreCluster} and returns what they showed, one line per
 * fact. Commands that drive a node print its Readys in full (messages, entries persisted and applied);
 * {@code stabilize} and {@code advance} print only events: state changes, read states, accepted and
 * rejected requests, snapshots. The commands are listed in {@code scenarios/README.md}.
 *
 * <p>The harness is the driver: storage is synchronous, and it sends a snapshot the way the runtime
 * does, but in one {@link InstallSnapshot} through the message queue (so it can be held or lost), which
 * the follower's driver answers with an {@link InstallSnapshotResponse} and installs.
 */
final class ScenarioInterpreter {

    private CoreCluster cluster;
    private final List<String> out = new ArrayList<>();
    private final List<Message> held = new ArrayList<>();
    /** The last state line printed per node, so that a line appears only when the state changes. */
    private final Map<String, String> shownState = new HashMap<>();
    private final Map<String, String> shownConfiguration = new HashMap<>();
    private boolean full;
    private String indent = "";

    List<String> run(Command c) {
        out.clear();
        indent = "";
        full = true;
        if (cluster == null && !c.name.equals("cluster")) {
            throw new IllegalArgumentException("start with 'cluster'");
        }
        switch (c.name) {
            case "cluster" -> cluster(c);
            case "campaign" -> drive(c, RaftCore::campaign);
            case "tick" -> tick(c);
            case "advance" -> advance(c);
            case "propose" -> {
                long id = Long.parseLong(c.require("id"));
                byte[] data = c.require("data").getBytes(StandardCharsets.UTF_8);
                drive(c, core -> core.propose(id, data));
            }
            case "configure" -> {
                long id = Long.parseLong(c.require("id"));
                Configuration target = new Configuration(idSet(c.require("voters")), Set.of(),
                        idSet(c.take("learners", "")), Map.of());
                drive(c, core -> core.proposeConfiguration(id, target));
            }
            case "change" -> {
                long id = Long.parseLong(c.require("id"));
                String op = c.require("op");
                String member = c.take("member", "");
                String address = c.take("address", "");
                GroupChange change = switch (op) {
                    case "add-learner" -> GroupChange.addLearner(member, address);
                    case "add-voter" -> GroupChange.addVoter(member, address);
                    case "promote" -> GroupChange.promote(member);
                    case "remove" -> GroupChange.remove(member);
                    case "transfer" -> GroupChange.transferLeadership(member.isEmpty() ? null : member);
                    default -> throw new IllegalArgumentException("unknown op '" + op + "'");
                };
                drive(c, core -> core.changeGroup(id, change));
            }
            case "transfer" -> {
                long id = Long.parseLong(c.require("id"));
                String to = c.take("to", "");
                drive(c, core -> core.transferLeadership(id, to.isEmpty() ? null : to));
            }
            case "unreachable" -> {
                String peer = c.require("peer");
                drive(c, core -> core.peerUnreachable(peer));
            }
            case "progress" -> nodes(c, true).forEach(id -> {
                RaftCore core = cluster.core(id);
                StringBuilder sb = new StringBuilder(id + " progress");
                for (String m : core.configuration().members()) {
                    sb.append(' ').append(m).append('=').append(core.matchIndex(m)).append('/').append(core.lastIndex());
                }
                print(sb.toString());
            });
            case "config" -> nodes(c, true).forEach(id -> print(id + " " + ScenarioFormat.configuration(cluster.core(id))));
            case "read" -> {
                long id = Long.parseLong(c.require("id"));
                boolean lease = c.takeFlag("lease");
                drive(c, core -> core.read(id, lease));
            }
            case "process" -> nodes(c, true).forEach(this::processAll);
            case "deliver" -> cluster.take(filter(c)).forEach(this::deliver);
            case "hold" -> cluster.take(filter(c)).forEach(m -> {
                held.add(m);
                print(ScenarioFormat.message(m));
            });
            case "release" -> release(filter(c));
            case "drop" -> cluster.take(filter(c)).forEach(m -> print(ScenarioFormat.message(m)));
            case "inflight" -> {
                cluster.inFlight().forEach(m -> print(ScenarioFormat.message(m)));
                held.forEach(m -> print("held " + ScenarioFormat.message(m)));
            }
            case "stabilize" -> stabilize(new LinkedHashSet<>(nodes(c, true)));
            case "isolate" -> nodes(c, false).forEach(cluster::isolate);
            case "heal" -> cluster.heal();
            case "crash" -> nodes(c, false).forEach(cluster::crash);
            case "restart" -> nodes(c, false).forEach(this::restart);
            case "compact" -> compact(c);
            case "status" -> nodes(c, true).forEach(id -> print(cluster.isDown(id) ? id + " down"
                    : ScenarioFormat.status(cluster.core(id))));
            case "log" -> nodes(c, true).forEach(this::log);
            default -> throw new IllegalArgumentException("unknown command '" + c.name + "'");
        }
        c.checkAllTaken();
        return List.copyOf(out);
    }

    private void cluster(Command c) {
        int n = (int) c.takeLong("nodes", 3);
        RaftConfig.Builder b = RaftConfig.builder()
                .electionTicks((int) c.takeLong("election", 10))
                .heartbeatTicks((int) c.takeLong("heartbeat", 1))
                .preVote(c.takeBoolean("prevote", true))
                .checkQuorum(c.takeBoolean("checkquorum", true))
                .snapshotsFromFollowers(c.takeBoolean("donors", true));
        long lease = c.takeLong("lease", -1);
        if (lease > 0) {
            b.leaseTicks((int) lease);
        }
        RaftConfig config = b.build();
        long seed = c.takeLong("seed", 0);
        int voters = (int) c.takeLong("voters", n);
        cluster = (c.takeFlag("oneseed") ? CoreCluster.withOneSeed(n, config, seed)
                : voters < n ? CoreCluster.withSpares(n, voters, config, seed) : new CoreCluster(n, config, seed))
                .observe(this::onReady);
        held.clear();
        shownState.clear();
        shownConfiguration.clear();
        cluster.ids.forEach(id -> shownState.put(id, ScenarioFormat.state(cluster.core(id))));
        cluster.ids.forEach(id -> shownConfiguration.put(id, ScenarioFormat.configuration(cluster.core(id))));
        print("election=" + config.electionTicks() + " heartbeat=" + config.heartbeatTicks() + " lease="
                + config.leaseTicks() + " prevote=" + config.preVote() + " checkquorum=" + config.checkQuorum()
                + (config.snapshotsFromFollowers() ? "" : " donors=false"));
    }

    /** Gives each named node an input, then carries out its Readys. */
    private void drive(Command c, Consumer<RaftCore> input) {
        for (String id : nodes(c, false)) {
            input.accept(live(id));
            processAll(id);
        }
    }

    /**
     * All the ticks first, then the Readys: a burst, as a runtime delivers the ticks of a stall before
     * it handles anything else.
     */
    private void tick(Command c) {
        List<String> ids = nodes(c, false);
        long count = c.takeLong("count", 1);
        for (long i = 0; i < count; i++) {
            ids.forEach(id -> live(id).tick());
        }
        ids.forEach(this::processAll);
    }

    /**
     * Time passing on a connected group: each round ticks every named node once, then stabilizes them, so
     * that heartbeats arrive between ticks.
     */
    private void advance(Command c) {
        Set<String> ids = new LinkedHashSet<>(nodes(c, true));
        long count = c.takeLong("count", 1);
        for (long i = 0; i < count; i++) {
            for (String id : ids) {
                if (!cluster.isDown(id)) {
                    cluster.core(id).tick();
                }
            }
            stabilize(ids);
        }
    }

    private void processAll(String id) {
        if (cluster.isDown(id)) {
            return;
        }
        noteState(id);
        cluster.processAll(id);
    }

    /** Prints a Ready just carried out by the cluster; starts the snapshot transfers it asks for. */
    private void onReady(String id, Ready r) {
        noteState(id);
        if (r.snapshotToInstall() != null) {
            print(id + " installs snapshot " + r.snapshotToInstall().index() + "/" + r.snapshotToInstall().term());
        }
        if (full) {
            if (!r.entries().isEmpty()) {
                print(id + " persist " + ScenarioFormat.entries(r.entries()));
            }
            r.messages().forEach(m -> print(ScenarioFormat.message(m)));
            r.messagesAfterPersist().forEach(m -> print(ScenarioFormat.message(m)));
            if (!r.committedEntries().isEmpty()) {
                print(id + " apply " + ScenarioFormat.entries(r.committedEntries()));
            }
        }
        r.readStates().forEach(s -> print(ScenarioFormat.readState(id, s)));
        r.acceptedProposals().forEach(a -> print(id + " accepted id=" + a.requestId() + " index=" + a.index()
                + " term=" + a.term()));
        r.rejectedRequests().forEach(j -> print(id + " rejected id=" + j.requestId() + " " + j.reason()
                + (j.detail().isEmpty() ? "" : ": " + j.detail())));
        for (String peer : r.snapshotsToSend()) {
            SnapshotMeta meta = cluster.storage(id).snapshotMeta();
            print(id + " sends snapshot " + meta.index() + "/" + meta.term() + " to " + peer);
            cluster.queue.add(new InstallSnapshot(id, peer, r.term(), id, meta, 0, new byte[0], true));
        }
        for (DelegateSnapshot d : r.snapshotsToDonate()) {
            // The donor's snapshot sender: its latest snapshot, or a refusal when that is too old.
            SnapshotMeta meta = cluster.storage(id).snapshotMeta();
            if (meta.index() < d.minIndex()) {
                print(id + " declines to send a snapshot to " + d.target() + " (latest " + meta.index() + ")");
                cluster.core(id).snapshotSent(d.target(), false);
            } else {
                print(id + " sends snapshot " + meta.index() + "/" + meta.term() + " to " + d.target() + " for " + d.from());
                cluster.queue.add(new InstallSnapshot(id, d.target(), r.term(), d.from(), meta, 0, new byte[0], true));
                cluster.core(id).snapshotSending(d.target());
            }
        }
    }

    private void noteState(String id) {
        String state = ScenarioFormat.state(cluster.core(id));
        if (!state.equals(shownState.put(id, state))) {
            print(id + " now " + state);
        }
        String configuration = ScenarioFormat.configuration(cluster.core(id));
        if (!configuration.equals(shownConfiguration.put(id, configuration))) {
            print(id + " now " + configuration);
        }
    }

    private static Set<String> idSet(String commaSeparated) {
        return commaSeparated.isEmpty() ? Set.of() : Set.of(commaSeparated.split(","));
    }

    /**
     * Steps the addressee with {@code m} (or loses it across a cut link or with an end down) and carries
     * out its Readys, printed under the message.
     */
    private void deliver(Message m) {
        if (!cluster.reachable(m)) {
            printMessage(m, " (lost)");
            return;
        }
        printMessage(m, "");
        String outer = indent;
        if (full) {
            indent = indent + "  ";
        }
        RaftCore to = cluster.core(m.to());
        if (m instanceof InstallSnapshotResponse r && r.term() == to.term()) {
            to.snapshotSent(r.from(), r.success()); // the sender's snapshot sender (leader or donor) takes the answer
        } else {
            to.step(m);
            if (m instanceof InstallSnapshot s && s.term() == to.term() && to.role() == RaftRole.FOLLOWER) {
                InstallSnapshotResponse answer = new InstallSnapshotResponse(to.id(), s.from(), to.term(),
                        s.meta().index(), s.data().length, true);
                cluster.queue.add(answer);
                printMessage(answer, "");
                to.installSnapshot(s.leader(), s.meta());
            }
        }
        processAll(m.to());
        indent = outer;
    }

    private void printMessage(Message m, String suffix) {
        if (full) {
            print(ScenarioFormat.message(m) + suffix);
        }
    }

    /**
     * Delivers among {@code nodes} until nothing moves. Messages between a named node and another node stay
     * in flight, unless their link is cut or an end is down: those are lost.
     */
    private void stabilize(Set<String> nodes) {
        full = false;
        for (int round = 0; round < 10_000; round++) {
            boolean moved = false;
            for (String id : nodes) {
                if (!cluster.isDown(id) && cluster.core(id).hasReady()) {
                    processAll(id);
                    moved = true;
                }
            }
            List<Message> batch = cluster.take(m -> nodes.contains(m.from()) && nodes.contains(m.to())
                    || (nodes.contains(m.from()) || nodes.contains(m.to())) && !cluster.reachable(m));
            batch.forEach(this::deliver);
            if (!moved && batch.isEmpty()) {
                return;
            }
        }
        throw new IllegalStateException("the cluster did not stabilize");
    }

    private void release(Predicate<Message> which) {
        List<Message> released = new ArrayList<>();
        held.removeIf(m -> which.test(m) && released.add(m));
        for (Message m : released) {
            cluster.queue.add(m);
            print(ScenarioFormat.message(m));
        }
    }

    private void restart(String id) {
        cluster.restart(id);
        shownState.remove(id);
        processAll(id);
    }

    /** Compacts the node's storage up to an index it applied (default: all of them), as its snapshot. */
    private void compact(Command c) {
        for (String id : nodes(c, false)) {
            RaftCore core = live(id);
            long index = c.takeLong("index", core.appliedIndex());
            if (index > core.appliedIndex() || index < 1) {
                throw new IllegalArgumentException(id + " has applied up to " + core.appliedIndex() + ", not " + index);
            }
            cluster.storage(id).compact(new SnapshotMeta(index, core.termAt(index), core.configuration()));
            log(id);
        }
    }

    private void log(String id) {
        RaftCore c = cluster.core(id);
        SnapshotMeta snap = cluster.storage(id).snapshotMeta();
        String prefix = snap.exists() ? " snapshot=" + snap.index() + "/" + snap.term() : "";
        String entries = ScenarioFormat.entries(c.entries(c.firstIndex(), c.lastIndex() + 1));
        print(id + " log" + prefix + (entries.isEmpty() ? "" : " " + entries));
    }

    /** The words naming nodes; with none named, every node when {@code allByDefault}. */
    private List<String> nodes(Command c, boolean allByDefault) {
        List<String> ids = new ArrayList<>(c.takeWords(cluster.ids::contains));
        String listed = c.take("nodes", null);
        if (listed != null) {
            for (String id : listed.split(",")) {
                if (!cluster.ids.contains(id)) {
                    throw new IllegalArgumentException("no node " + id);
                }
                ids.add(id);
            }
        }
        if (ids.isEmpty()) {
            if (!allByDefault) {
                throw new IllegalArgumentException("'" + c.name + "' needs a node");
            }
            ids.addAll(cluster.ids);
        }
        return ids;
    }

    private RaftCore live(String id) {
        if (cluster.isDown(id)) {
            throw new IllegalArgumentException(id + " is down");
        }
        return cluster.core(id);
    }

    /** {@code from=}, {@code to=} and {@code type=} (a message class's simple name), each a comma list. */
    private static Predicate<Message> filter(Command c) {
        Predicate<Message> p = m -> true;
        String from = c.take("from", null);
        String to = c.take("to", null);
        String type = c.take("type", null);
        if (from != null) {
            p = p.and(m -> List.of(from.split(",")).contains(m.from()));
        }
        if (to != null) {
            p = p.and(m -> List.of(to.split(",")).contains(m.to()));
        }
        if (type != null) {
            List<String> types = List.of(type.split(","));
            for (String t : types) {
                if (java.util.Arrays.stream(Message.class.getPermittedSubclasses()).noneMatch(k -> k.getSimpleName().equals(t))) {
                    throw new IllegalArgumentException("no message type " + t);
                }
            }
            p = p.and(m -> types.contains(m.getClass().getSimpleName()));
        }
        return p;
    }

    private void print(String line) {
        out.add(indent + line);
    }
}
