package io.raftkit.testkit.sim;

import io.raftkit.core.Entry;
import io.raftkit.core.EntryType;
import io.raftkit.core.StateMachine;
import io.raftkit.node.RaftException;
import io.raftkit.node.ReadConsistency;
import io.raftkit.testkit.check.ByteText;
import io.raftkit.testkit.check.History;
import io.raftkit.testkit.check.LinearizabilityChecker;
import io.raftkit.testkit.check.Model;
import io.raftkit.testkit.check.Operation;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A user's state machine in the simulator: clients that send what {@link SimulatedClients} draws to
 * random nodes, one operation in flight each, and record a {@link History}; at the end the history must
 * be linearizable against the user's {@link Model}. (The state-machine checks, every snapshot and every
 * node's final state against one replay of the committed log, are the simulation's own.)
 */
final class ModelApplication<I, O> extends SimClients {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ModelApplication.class);

    /** A request on its way: its operation in the history, where it went, whether it is a query. */
    private record InFlight(long op, int client, String node, boolean query) {}

    private final Supplier<? extends StateMachine> stateMachines;
    private final SimulatedClients<I, O> clients;
    private final Model<?, I, O> model;
    private final History<I, O> history = new History<>();
    private final Map<Long, InFlight> inFlight = new HashMap<>();
    /** When each command was first applied anywhere, on the history's clock. */
    private final Map<ByteBuffer, Long> firstApplied = new HashMap<>();
    /** How each ended operation ended, by its id. */
    private final Map<Long, Operation.Outcome> ended = new HashMap<>();
    private long nextRequestId = 1;
    private int timeouts;

    ModelApplication(Simulation sim, Supplier<? extends StateMachine> stateMachines, SimulatedClients<I, O> clients,
                     Model<?, I, O> model) {
        super(sim, sim.applicationRandom(), sim.options());
        this.stateMachines = stateMachines;
        this.clients = clients;
        this.model = model;
    }

    /** Each node's state machine, watched: the first application of each command is marked in the history. */
    @Override
    public StateMachine stateMachine(String node) {
        StateMachine machine = stateMachines.get();
        return new StateMachine() {
            @Override
            public byte[] apply(long index, byte[] command) {
                byte[] result = machine.apply(index, command);
                if (!firstApplied.containsKey(ByteBuffer.wrap(command))) {
                    firstApplied.put(ByteBuffer.wrap(command.clone()), history.mark());
                }
                return result;
            }

            @Override
            public byte[] query(byte[] query) {
                return machine.query(query);
            }

            @Override
            public void writeSnapshot(OutputStream out) throws IOException {
                machine.writeSnapshot(out);
            }

            @Override
            public void restoreSnapshot(InputStream in) throws IOException {
                machine.restoreSnapshot(in);
            }
        };
    }

    @Override
    public StateMachine replica() {
        return stateMachines.get();
    }

    @Override
    public String describe(byte[] image) {
        return ByteText.of(image);
    }

    @Override
    void wake(int client) {
        String node = sim.nodeIds().get(random.nextInt(sim.nodeIds().size()));
        if (send(client, node, clients.next(random)) < 0) {
            scheduleWake(client);
        }
    }

    /** Sends {@code input} to {@code node}; returns its operation's id, or -1 when the node is down. */
    private long send(int client, String node, I input) {
        boolean query = clients.isQuery(input);
        SimRequest request = query ? new SimRequest.Read(clients.encode(input),
                random.nextInt(100) < options.leasePercent() ? ReadConsistency.LEASE : ReadConsistency.LINEARIZABLE)
                : new SimRequest.Write(clients.encode(input));
        long requestId = nextRequestId++;
        long op = history.invoke(input, node);
        inFlight.put(requestId, new InFlight(op, client, node, query));
        if (!sim.node(node).submit(requestId, request, (answer, error) -> answered(requestId, input, answer, error))) {
            inFlight.remove(requestId);
            history.failed(op); // connection refused: nothing happened
            ended.put(op, Operation.Outcome.FAILED);
            return -1;
        }
        // The runtime fails a request after requestTimeout; a client gives up later, if nothing came back.
        sim.events().after(2 * options.requestTimeout(), new SimNode.Label(node, "client gives up on op" + op), () -> {
            InFlight f = inFlight.remove(requestId);
            if (f != null) {
                timeouts++;
                sim.node(f.node()).forget(requestId);
                end(f, f.query() ? Operation.Outcome.FAILED : Operation.Outcome.UNKNOWN, null);
            }
        });
        return op;
    }

    private void answered(long requestId, I input, byte[] answer, Throwable error) {
        InFlight f = inFlight.remove(requestId);
        if (f == null) {
            return;
        }
        if (error == null) {
            end(f, Operation.Outcome.OK, clients.decode(input, answer));
        } else if (f.query() || error instanceof RaftException r && !r.mayHaveTakenEffect()) {
            end(f, Operation.Outcome.FAILED, null);
        } else {
            end(f, Operation.Outcome.UNKNOWN, null);
        }
    }

    @Override
    public void lostWithNode(long requestId) {
        InFlight f = inFlight.remove(requestId);
        if (f != null) {
            end(f, f.query() ? Operation.Outcome.FAILED : Operation.Outcome.UNKNOWN, null);
        }
    }

    private void end(InFlight f, Operation.Outcome outcome, O output) {
        ended.put(f.op(), outcome);
        switch (outcome) {
            case OK -> history.ok(f.op(), output);
            case FAILED -> history.failed(f.op());
            case UNKNOWN -> history.unknown(f.op());
        }
        log.debug("{} op{} ends {} {}", sim.events().now(), f.op(), outcome, output);
        if (f.client() >= 0) {
            scheduleWake(f.client());
        }
    }

    @Override
    public int inFlight() {
        return inFlight.size();
    }

    @Override
    public long probe(String node, boolean write) {
        for (int tries = 0; tries < 1_000; tries++) {
            I input = clients.next(random);
            if (clients.isQuery(input) != write) {
                return send(-1, node, input);
            }
        }
        throw new IllegalStateException("SimulatedClients.next drew no " + (write ? "command" : "query")
                + " in 1,000 tries: the liveness check needs both");
    }

    @Override
    public ProbeOutcome probeOutcome(long handle) {
        Operation.Outcome outcome = ended.get(handle);
        return outcome == null ? ProbeOutcome.OPEN : outcome == Operation.Outcome.OK ? ProbeOutcome.OK : ProbeOutcome.FAILED;
    }

    @Override
    public String describeProbe(long handle) {
        return history.operations().get((int) handle).toString();
    }

    /** Up to 32 queries the clients would send, to compare every node's answers with a replay's. */
    @Override
    public List<byte[]> endQueries() {
        List<byte[]> queries = new ArrayList<>();
        for (int tries = 0; tries < 1_000 && queries.size() < 32; tries++) {
            I input = clients.next(random);
            if (clients.isQuery(input)) {
                queries.add(clients.encode(input));
            }
        }
        return queries;
    }

    @Override
    public String checkAtEnd(List<Entry> committed) {
        LinearizabilityChecker.Result r = LinearizabilityChecker.check(model, resolved(committed));
        if (!r.linearizable()) {
            return "linearizability: " + r.explanation();
        }
        if (r.inconclusive()) {
            log.warn("seed={} linearizability check inconclusive: {}", options.seed(), r.explanation());
        }
        return null;
    }

    /**
     * The history with indeterminate commands narrowed by the committed log, which is final once the run
     * has converged (no node holds an entry beyond the commit index): a command whose bytes no committed
     * entry holds never took effect; one whose bytes no other command of the run shares took effect no
     * later than its first application. Each unknown command left would double the search, so commands
     * with distinct bytes (a counter in {@link SimulatedClients}) are what keep it small.
     */
    private List<Operation<I, O>> resolved(List<Entry> committed) {
        Set<ByteBuffer> inLog = new HashSet<>();
        for (Entry e : committed) {
            if (e.type() == EntryType.COMMAND) {
                inLog.add(ByteBuffer.wrap(e.data()));
            }
        }
        List<Operation<I, O>> ops = history.operations();
        Map<ByteBuffer, Integer> sent = new HashMap<>();
        for (Operation<I, O> op : ops) {
            if (!clients.isQuery(op.input())) {
                sent.merge(ByteBuffer.wrap(clients.encode(op.input())), 1, Integer::sum);
            }
        }
        List<Operation<I, O>> out = new ArrayList<>(ops.size());
        for (Operation<I, O> op : ops) {
            if (op.outcome() == Operation.Outcome.UNKNOWN && !clients.isQuery(op.input())) {
                ByteBuffer bytes = ByteBuffer.wrap(clients.encode(op.input()));
                Long applied = firstApplied.get(bytes);
                if (!inLog.contains(bytes)) {
                    op = new Operation<>(op.id(), op.input(), null, Operation.Outcome.FAILED, op.invoke(), op.invoke() + 1,
                            op.client());
                } else if (sent.get(bytes) == 1 && applied != null) {
                    op = op.completingAt(Math.max(applied, op.invoke() + 1));
                }
            }
            out.add(op);
        }
        return out;
    }

    @Override
    public Summary summary() {
        int ok = 0;
        int failed = 0;
        int unknown = 0;
        long fingerprint = 0;
        for (Operation<I, O> op : history.operations()) {
            switch (op.outcome()) {
                case OK -> ok++;
                case FAILED -> failed++;
                case UNKNOWN -> unknown++;
            }
            fingerprint = fingerprint * 31 + op.toString().hashCode();
        }
        return new Summary(history.size(), ok, failed, unknown, timeouts, fingerprint);
    }
}
