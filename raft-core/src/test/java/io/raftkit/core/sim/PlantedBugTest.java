package io.raftkit.core.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.core.Bugs;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A checker that never fails proves nothing: with each known bug planted in every core, the simulator
 * must report a violation within a bounded number of seeds, and say which seed.
 *
 * <p>Committing an earlier term's entry by counting replicas only matters in the rare interleavings of
 * Raft's Figure 8, which is what the {@link FaultMix#LEADER_CHURN} mix is for; that bug is hunted
 * among the seeds that draw it (skipping a seed costs nothing: its mix is its first draw).
 */
class PlantedBugTest {

    /** Seeds tried per bug before the test gives up. */
    static final int MAX_SEEDS = Integer.getInteger("raftkit.sim.bugSeeds", 1500);

    private static FaultMix mixFor(String bug) {
        return bug.equals("COMMIT_OLD_TERM_BY_COUNTING") ? FaultMix.LEADER_CHURN : null;
    }

    static List<String> bugs() {
        return Bugs.names();
    }

    @ParameterizedTest
    @MethodSource("bugs")
    void theSimulatorFindsThePlantedBug(String bug) {
        SimulationFailure found = null;
        int tried = 0;
        FaultMix mix = mixFor(bug);
        for (long seed = 1; tried < MAX_SEEDS && found == null; seed++) {
            if (mix != null && SimOptions.draw(seed).mix() != mix) {
                continue;
            }
            tried++;
            try {
                Simulation.run(seed, List.of(bug));
            } catch (SimulationFailure f) {
                found = f;
            }
        }
        assertThat(found).as("no violation found with %s planted in %d seeds%s", bug, MAX_SEEDS,
                mix == null ? "" : " of mix " + mix).isNotNull();
        assertThat(found.getMessage()).startsWith("seed=" + found.seed());
        String firstLine = found.getMessage().lines().findFirst().orElse("");
        System.out.printf("%s: found after %d seed(s)%s: %s%n  replay: %s%n", bug, tried,
                mix == null ? "" : " of mix " + mix, firstLine,
                Simulation.replayCommand(found.seed(), List.of(bug)));
    }
}
