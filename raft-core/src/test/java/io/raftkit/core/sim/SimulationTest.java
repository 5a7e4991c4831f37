package io.raftkit.core.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Runs the simulator over a fixed range of seeds (every build runs the same schedules), or one seed to
 * replay a failure, or a long campaign:
 * <pre>
 *   mvn -pl raft-core test -Dtest=SimulationTest                                   # the fixed seeds
 *   mvn -pl raft-core test -Dtest=SimulationTest -Draftkit.seed=N                  # replay one run
 *   mvn -pl raft-core test -Dtest=SimulationTest -Draftkit.sim.seeds=100000 -Draftkit.sim.firstSeed=S
 * </pre>
 * {@code -Draftkit.sim.bug=NAME} plants a bug from {@link io.raftkit.core.Bugs} in every core.
 */
class SimulationTest {

    /** Seeds every build runs: at least 500 schedules, spread over every fault mix by the seeds themselves. */
    static final int DEFAULT_SEEDS = 1000;

    @Test
    void everyScheduleIsSafeAndLive() {
        List<String> bugs = plantedBugs();
        String one = System.getProperty("raftkit.seed");
        if (one != null) {
            SimResult r = Simulation.run(Long.parseLong(one.trim()), bugs);
            System.out.println(r);
            return;
        }
        long first = Long.getLong("raftkit.sim.firstSeed", 1L);
        int count = Integer.getInteger("raftkit.sim.seeds", DEFAULT_SEEDS);
        Map<FaultMix, Integer> perMix = new EnumMap<>(FaultMix.class);
        long steps = 0;
        long ops = 0;
        long maxTicksToLeader = 0;
        for (long seed = first; seed < first + count; seed++) {
            SimResult r = Simulation.run(seed, bugs);
            perMix.merge(r.mix(), 1, Integer::sum);
            steps += r.steps();
            ops += r.operations();
            maxTicksToLeader = Math.max(maxTicksToLeader, r.ticksToLeader());
        }
        System.out.printf("simulated %d schedules (seeds %d..%d): %s; %d steps, %d client operations, "
                + "slowest leader after heal: %d ticks%n", count, first, first + count - 1, perMix, steps, ops,
                maxTicksToLeader);
        assertThat(perMix).as("every fault mix ran").hasSize(count >= 500 ? FaultMix.values().length : perMix.size());
    }

    @Test
    void aSeedReplaysExactly() {
        for (long seed : new long[] {7, 8, 9}) {
            SimResult a = Simulation.run(seed);
            SimResult b = Simulation.run(seed);
            assertThat(b).isEqualTo(a);
        }
    }

    private static List<String> plantedBugs() {
        String names = System.getProperty("raftkit.sim.bug", "").trim();
        return names.isEmpty() ? List.of() : Arrays.asList(names.split(","));
    }
}
