package io.raftkit.testkit.sim;

import java.util.SplittableRandom;

/**
 * What the simulator's clients send to your state machine and how they read the answers: the bridge
 * between your commands and queries (bytes) and the inputs and outputs of your {@link
 * io.raftkit.testkit.check.Model} (values). The simulator draws every operation from {@link #next}, with a
 * random source split from the run's seed, so a seed replays the same operations.
 *
 * @param <I> an operation's input, as the model takes it
 * @param <O> an operation's output, as the model returns it
 */
public interface SimulatedClients<I, O> {

    /** The next operation a client sends. */
    I next(SplittableRandom random);

    /** Whether {@code input} is a query ({@code RaftNode.query}) rather than a command ({@code RaftNode.submit}). */
    boolean isQuery(I input);

    /** The command or query bytes {@code input} is sent as. */
    byte[] encode(I input);

    /** What the answer to {@code input} (a command's result or a query's answer) says, as the model's output. */
    O decode(I input, byte[] answer);
}
