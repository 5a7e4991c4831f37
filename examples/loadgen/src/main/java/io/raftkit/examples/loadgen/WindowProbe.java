package io.raftkit.examples.loadgen;

/**
 * Something that measures exactly one measured window of a {@link ClosedLoopRun}: {@link #opened} runs
 * just before the window's first counted write, {@link #closed} just after its last, on the thread that
 * times the window. Neither sees the warm-up, the group's start or its close; {@link #warmupStarting}
 * runs before the warm-up, for what must not start inside the window.
 */
interface WindowProbe {

    /**
     * The warm-up is about to start (before the run's first write): start what must be running, and
     * compiled, before the window opens. Nothing by default.
     */
    default void warmupStarting() {}

    /** The window opens: take the starting readings. */
    void opened();

    /** The window has closed: take the final readings. */
    void closed();
}
