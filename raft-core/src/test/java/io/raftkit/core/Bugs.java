package io.raftkit.core;

/**
 * Test-only door to {@link PlantedBug}s for tests outside this package (the simulator). Lives in test
 * sources, so production code cannot reach it.
 */
public final class Bugs {

    private Bugs() {}

    /** The names of the bugs that can be planted. */
    public static java.util.List<String> names() {
        return java.util.Arrays.stream(PlantedBug.values()).map(Enum::name).toList();
    }

    /** Plants the named bug in {@code core}. */
    public static void plant(RaftCore core, String bugName) {
        core.plant(PlantedBug.valueOf(bugName));
    }
}
