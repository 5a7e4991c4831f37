package io.raftkit.testkit.sim;

/**
 * A run broke a safety or liveness property (or the core threw). The message starts with
 * {@code seed=}, names the property, gives the command line that replays the run, and ends with the
 * last events before the failure.
 */
public final class SimulationFailure extends AssertionError {

    private final long seed;

    SimulationFailure(long seed, String message, Throwable cause) {
        super(message, cause);
        this.seed = seed;
    }

    public long seed() {
        return seed;
    }
}
