package io.raftkit.core.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.core.Bugs;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A checker that never fails proves nothing: with each known bug planted in every core, the simulator
 * must report a violation within a bounded number of seeds, and say which seed.
 */
class PlantedBugTest {

    /** Seeds tried per bug before the test gives up. */
    static final int MAX_SEEDS = Integer.getInteger("raftkit.sim.bugSeeds", 1500);

    static List<String> bugs() {
        return Bugs.names();
    }

    @ParameterizedTest
    @MethodSource("bugs")
    void theSimulatorFindsThePlantedBug(String bug) {
        SimulationFailure found = null;
        int tried = 0;
        for (long seed = 1; seed <= MAX_SEEDS && found == null; seed++) {
            tried++;
            try {
                Simulation.run(seed, List.of(bug));
            } catch (SimulationFailure f) {
                found = f;
            }
        }
        assertThat(found).as("no violation found with %s planted in %d seeds", bug, MAX_SEEDS).isNotNull();
        assertThat(found.getMessage()).startsWith("seed=" + found.seed());
        String firstLine = found.getMessage().lines().findFirst().orElse("");
        System.out.printf("%s: found after %d seed(s): %s%n  replay: %s%n", bug, tried, firstLine,
                Simulation.replayCommand(found.seed(), List.of(bug)));
    }
}
