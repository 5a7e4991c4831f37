package io.raftkit.testkit.sim;

import io.raftkit.core.StateMachine;
import io.raftkit.testkit.check.Model;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A deterministic simulation of your {@link StateMachine} on RaftKit's real runtime: the same node
 * driver, applier and snapshot transfer a {@code RaftNode} runs, on simulated disks, network and clocks,
 * all in one thread and all drawn from one seed. A seed picks a fault mix (message delays, drops,
 * duplicates and partitions; crashes that lose unsynced writes, torn writes; process stalls with the
 * clock running on; clock drift; slow disks; snapshots, compaction and snapshot transfers; membership
 * changes) and your clients' operations; the same seed replays the same run, event for event.
 *
 * <pre>{@code
 * Simulator<Counter, String, Long> simulator = Simulator.of(Counter::new, CounterClients::new, COUNTER_MODEL);
 * simulator.run(42);          // one schedule; a failure names seed=42
 * simulator.runSeeds(1, 200); // 200 schedules
 * }</pre>
 *
 * <p>What a run checks, besides Raft's own safety properties (one leader per term, log matching,
 * committed entries durable on a quorum, leader completeness):
 * <ul>
 *   <li><b>determinism and snapshots</b>: every snapshot a node takes, restores or installs, and every
 *       node's state at the end, must equal one replay of the committed log through a fresh state machine
 *       (compared by snapshot bytes). An {@code apply} that reads the clock, a snapshot that leaves
 *       something out, or a query that changes state breaks it;</li>
 *   <li><b>liveness</b>: after the faults heal, a leader emerges, a command and a query through every node
 *       succeed, and every node applies everything;</li>
 *   <li><b>linearizability</b> of what the clients saw, against your {@link Model}.</li>
 * </ul>
 * A failure is a {@link SimulationFailure} whose message starts with {@code seed=N}, names the property,
 * and ends with the last events before it; {@code run(N)} replays it. Runs take tens of milliseconds;
 * a few hundred seeds make a unit test, a few hundred thousand a campaign.
 *
 * @param <S> the state machine type
 * @param <I> an operation's input, as the model takes it
 * @param <O> an operation's output, as the model returns it
 */
public final class Simulator<S extends StateMachine, I, O> {

    private final Supplier<S> stateMachines;
    private final Supplier<? extends SimulatedClients<I, O>> clients;
    private final Model<?, I, O> model;

    private Simulator(Supplier<S> stateMachines, Supplier<? extends SimulatedClients<I, O>> clients, Model<?, I, O> model) {
        this.stateMachines = Objects.requireNonNull(stateMachines, "stateMachines");
        this.clients = Objects.requireNonNull(clients, "clients");
        this.model = Objects.requireNonNull(model, "model");
    }

    /**
     * A simulator of the state machines {@code stateMachines} makes (each call a new, empty one), driven by
     * the clients {@code clients} makes (one per run, so that a generator's own state, a counter of unique
     * values say, starts afresh and a seed replays exactly) and checked against {@code model}.
     */
    public static <S extends StateMachine, I, O> Simulator<S, I, O> of(Supplier<S> stateMachines,
                                                                    Supplier<? extends SimulatedClients<I, O>> clients,
                                                                    Model<?, I, O> model) {
        return new Simulator<>(stateMachines, clients, model);
    }

    /** Runs the schedule of {@code seed}; throws {@link SimulationFailure} when a property does not hold. */
    public SimResult run(long seed) {
        SimOptions options = SimOptions.draw(seed);
        Simulation simulation = new Simulation(options, List.of(),
                sim -> new ModelApplication<>(sim, stateMachines, clients.get(), model), core -> {},
                "simulator.run(" + seed + ") with the same state machine, clients and model");
        return simulation.run();
    }

    /** Runs seeds {@code first} to {@code first + count - 1}, stopping at the first failure. */
    public List<SimResult> runSeeds(long first, int count) {
        List<SimResult> results = new ArrayList<>(count);
        for (long seed = first; seed < first + count; seed++) {
            results.add(run(seed));
        }
        return results;
    }
}
