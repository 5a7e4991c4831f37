package io.raftkit.testkit.sim;

import io.raftkit.core.Bugs;
import java.util.ArrayList;
import java.util.List;

/**
 * RaftKit's own simulation campaign: the testkit's {@link Simulation} running the key-value application
 * ({@link Workload}: sessions, compare-and-set, lease and stale reads), with the core's planted bugs
 * ({@link Bugs}) on top of the simulator's own ({@link SimBugs}).
 */
final class Campaign {

    private Campaign() {}

    /** Runs the schedule of {@code seed}; throws {@link SimulationFailure} when a check fails. */
    static SimResult run(long seed) {
        return run(seed, List.of());
    }

    /** Runs {@code seed} with the named bugs planted in every node. */
    static SimResult run(long seed, List<String> bugs) {
        return simulation(SimOptions.draw(seed), bugs).run();
    }

    /** A simulation of the key-value application with {@code options}, not yet started. */
    static Simulation simulation(SimOptions options, List<String> bugs) {
        return new Simulation(options, bugs, sim -> new Workload(sim, sim.applicationRandom(), sim.options()), core -> {
            for (String bug : bugs) {
                if (Bugs.names().contains(bug)) {
                    Bugs.plant(core, bug);
                }
            }
        }, replayCommand(options.seed(), bugs));
    }

    /** The single command line that replays a run exactly. */
    static String replayCommand(long seed, List<String> bugs) {
        return "mvn -pl raft-core test -Dtest=SimulationTest -Draftkit.seed=" + seed
                + (bugs.isEmpty() ? "" : " -Draftkit.sim.bug=" + String.join(",", bugs));
    }

    /** Every bug a run can plant: the core's and the simulator's. */
    static List<String> bugNames() {
        List<String> all = new ArrayList<>(Bugs.names());
        all.addAll(SimBugs.names());
        return all;
    }
}
