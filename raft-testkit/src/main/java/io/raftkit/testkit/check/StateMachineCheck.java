package io.raftkit.testkit.check;

import io.raftkit.core.StateMachine;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Checks the three properties Raft needs of your {@link StateMachine} and cannot enforce, by running
 * replicas of it side by side on the same commands, without a cluster:
 * <dl>
 *   <dt>{@value #DETERMINISM}</dt>
 *   <dd>Two replicas that apply the same commands, at different times and on different threads, return
 *       the same results and reach equal states. An {@code apply} that reads the clock, draws a random
 *       number, or depends on the thread or on iteration order of an identity-hashed collection fails it.</dd>
 *   <dt>{@value #SNAPSHOT}</dt>
 *   <dd>A replica restored from a snapshot taken after command k is equal to the replica that took it,
 *       answers every query alike, and stays equal over the commands that follow; restoring into a
 *       replica that already holds other state replaces that state (an empty state machine's snapshot,
 *       restored into a full replica, empties it).</dd>
 *   <dt>{@value #QUERY_PURITY}</dt>
 *   <dd>Queries change nothing: the state is equal before and after every query, and a query asked twice
 *       answers the same.</dd>
 * </dl>
 * States are compared by their snapshots' bytes unless you give an {@linkplain #equality equality} (do,
 * when equal states may serialize differently, e.g. a {@code HashMap} of objects hashed by identity).
 *
 * <pre>{@code
 * StateMachineCheck.of(KvStateMachine::new)
 *         .commands(2_000, 42, random -> KvCommand.put("k" + random.nextInt(50), "v" + random.nextInt()))
 *         .queries(List.of(KvQuery.get("k1"), KvQuery.get("k7")))
 *         .assertPasses();   // AssertionError naming each failed check, with seed=42
 * }</pre>
 *
 * <p>Commands are applied at indexes 1, 2, ... as a node would. A command that throws fails the check
 * with its index (a state machine must not throw on a committed command: every replica would throw).
 *
 * @param <S> the state machine type
 */
public final class StateMachineCheck<S extends StateMachine> {

    /** The check that two replicas of the same log agree. */
    public static final String DETERMINISM = "determinism";
    /** The check that a snapshot restores an equal replica. */
    public static final String SNAPSHOT = "snapshot round trip";
    /** The check that queries change nothing. */
    public static final String QUERY_PURITY = "query purity";

    private final Supplier<S> factory;
    private List<byte[]> commands = List.of();
    private List<byte[]> queries = List.of();
    private String source = "the given commands";
    private BiPredicate<S, S> equality;

    private StateMachineCheck(Supplier<S> factory) {
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    /** Checks the state machines {@code factory} makes; each call must return a new, empty one. */
    public static <S extends StateMachine> StateMachineCheck<S> of(Supplier<S> factory) {
        return new StateMachineCheck<>(factory);
    }

    /** The commands every replica applies, in order. */
    public StateMachineCheck<S> commands(List<byte[]> commands) {
        this.commands = List.copyOf(commands);
        this.source = "the given " + commands.size() + " commands";
        return this;
    }

    /** {@code count} commands drawn by {@code generator} from a random source seeded with {@code seed}. */
    public StateMachineCheck<S> commands(int count, long seed, Function<SplittableRandom, byte[]> generator) {
        SplittableRandom random = new SplittableRandom(seed);
        List<byte[]> drawn = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            drawn.add(Objects.requireNonNull(generator.apply(random), "the generator returned null"));
        }
        this.commands = drawn;
        this.source = count + " generated commands, seed=" + seed;
        return this;
    }

    /** The queries asked of replicas to compare them and to check that queries change nothing. */
    public StateMachineCheck<S> queries(List<byte[]> queries) {
        this.queries = List.copyOf(queries);
        return this;
    }

    /** How to tell two states equal, instead of comparing their snapshots' bytes. */
    public StateMachineCheck<S> equality(BiPredicate<S, S> equality) {
        this.equality = Objects.requireNonNull(equality, "equality");
        return this;
    }

    /** Runs every check; returns what failed, one line per check (empty: all passed). */
    public List<String> run() {
        if (commands.isEmpty()) {
            throw new IllegalStateException("no commands to check with: call commands(...) first");
        }
        List<String> failures = new ArrayList<>();
        addIfFailed(failures, DETERMINISM, this::determinism);
        addIfFailed(failures, SNAPSHOT, this::snapshotRoundTrip);
        addIfFailed(failures, QUERY_PURITY, this::queryPurity);
        return failures;
    }

    /** Runs every check; throws an {@link AssertionError} listing those that failed. */
    public void assertPasses() {
        List<String> failures = run();
        if (!failures.isEmpty()) {
            throw new AssertionError("the state machine failed " + failures.size() + " check(s) with " + source + ":\n  "
                    + String.join("\n  ", failures));
        }
    }

    private static void addIfFailed(List<String> failures, String name, Supplier<String> check) {
        String failure;
        try {
            failure = check.get();
        } catch (RuntimeException | AssertionError e) {
            failure = e.getMessage() == null ? e.toString() : e.getMessage();
        }
        if (failure != null) {
            failures.add(name + ": " + failure);
        }
    }

    // ---- the checks -------------------------------------------------------------------------------

    private String determinism() {
        S first = factory.get();
        List<byte[]> firstResults = applyAll(first, 0, commands.size());
        awaitTimeMoving();
        AtomicReference<Object> second = new AtomicReference<>();
        Thread other = new Thread(() -> {
            S s = factory.get();
            try {
                second.set(new Replica<>(s, applyAll(s, 0, commands.size())));
            } catch (RuntimeException | Error e) {
                second.set(e);
            }
        }, "raftkit-check-second-replica");
        other.start();
        try {
            other.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the second replica applied", e);
        }
        if (second.get() instanceof RuntimeException e) {
            throw e;
        }
        if (second.get() instanceof Error e) {
            throw e;
        }
        @SuppressWarnings("unchecked")
        Replica<S> replica = (Replica<S>) second.get();
        for (int i = 0; i < commands.size(); i++) {
            if (!Arrays.equals(firstResults.get(i), replica.results.get(i))) {
                return "command at index " + (i + 1) + " returned " + show(firstResults.get(i)) + " on one replica and "
                        + show(replica.results.get(i)) + " on another, applied later on another thread: apply must depend "
                        + "only on the state and the command (no clock, randomness, thread or environment)";
            }
        }
        if (!equal(first, replica.machine)) {
            return "two replicas that applied the same " + commands.size() + " commands, at different times and on "
                    + "different threads, reached different states" + snapshotDifference(first, replica.machine)
                    + ": apply must depend only on the state and the command";
        }
        return null;
    }

    private String snapshotRoundTrip() {
        int at = commands.size() / 2;
        S original = factory.get();
        applyAll(original, 0, at);
        byte[] snapshot = snapshot(original);
        S restored = factory.get();
        restore(restored, snapshot);
        String differs = compare(original, restored, "a replica restored from the snapshot taken at index " + at);
        if (differs != null) {
            return differs;
        }
        S full = factory.get();
        applyAll(full, 0, commands.size());
        restore(full, snapshot(factory.get()));
        differs = compare(factory.get(), full, "a replica that had applied all " + commands.size()
                + " commands and then restored the snapshot of an empty state machine (restore must replace the state, "
                + "not merge into it)");
        if (differs != null) {
            return differs;
        }
        List<byte[]> originalResults = applyAll(original, at, commands.size());
        List<byte[]> restoredResults = applyAll(restored, at, commands.size());
        for (int i = 0; i < originalResults.size(); i++) {
            if (!Arrays.equals(originalResults.get(i), restoredResults.get(i))) {
                return "after a snapshot at index " + at + ", command at index " + (at + i + 1) + " returned "
                        + show(restoredResults.get(i)) + " on the restored replica and " + show(originalResults.get(i))
                        + " on the original";
            }
        }
        return compare(original, restored, "the restored replica, after the " + (commands.size() - at)
                + " commands that followed the snapshot,");
    }

    private String queryPurity() {
        S machine = factory.get();
        applyAll(machine, 0, commands.size());
        S reference = factory.get();
        applyAll(reference, 0, commands.size());
        for (int q = 0; q < queries.size(); q++) {
            byte[] first = machine.query(queries.get(q));
            byte[] again = machine.query(queries.get(q));
            if (!Arrays.equals(first, again)) {
                return "query #" + q + " " + show(queries.get(q)) + " answered " + show(first) + " and then " + show(again)
                        + ": a query must not change the state";
            }
            if (!equal(machine, reference)) {
                return "query #" + q + " " + show(queries.get(q)) + " changed the state" + snapshotDifference(reference, machine)
                        + ": a query must not change the state (it runs on one node only)";
            }
        }
        return null;
    }

    // ---- replicas ---------------------------------------------------------------------------------

    private record Replica<S>(S machine, List<byte[]> results) {}

    /** Applies commands {@code from} (inclusive) to {@code to} (exclusive), at their log indexes. */
    private List<byte[]> applyAll(S machine, int from, int to) {
        List<byte[]> results = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            try {
                results.add(machine.apply(i + 1, commands.get(i)));
            } catch (RuntimeException e) {
                throw new IllegalStateException("command at index " + (i + 1) + " " + show(commands.get(i))
                        + " threw " + e + ": a committed command must not throw (every replica would)", e);
            }
        }
        return results;
    }

    /** Null when {@code actual} answers every query as {@code expected} does and is equal to it; else how not. */
    private String compare(S expected, S actual, String what) {
        for (int q = 0; q < queries.size(); q++) {
            byte[] want = expected.query(queries.get(q));
            byte[] got = actual.query(queries.get(q));
            if (!Arrays.equals(want, got)) {
                return what + " answers query #" + q + " " + show(queries.get(q)) + " with " + show(got)
                        + " where it should answer " + show(want);
            }
        }
        if (!equal(expected, actual)) {
            return what + " is not equal to the state it should hold" + snapshotDifference(expected, actual);
        }
        return null;
    }

    private boolean equal(S a, S b) {
        return equality != null ? equality.test(a, b) : Arrays.equals(snapshot(a), snapshot(b));
    }

    private String snapshotDifference(S a, S b) {
        if (equality != null) {
            return "";
        }
        byte[] x = snapshot(a);
        byte[] y = snapshot(b);
        int i = Arrays.mismatch(x, y);
        return " (their snapshots are " + x.length + " and " + y.length + " bytes and first differ at byte " + i + ")";
    }

    private static byte[] snapshot(StateMachine machine) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            machine.writeSnapshot(out);
        } catch (IOException e) {
            throw new UncheckedIOException("writeSnapshot failed: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    private static void restore(StateMachine machine, byte[] snapshot) {
        try {
            machine.restoreSnapshot(new ByteArrayInputStream(snapshot));
        } catch (IOException e) {
            throw new UncheckedIOException("restoreSnapshot failed on its own snapshot (" + snapshot.length + " bytes): "
                    + e.getMessage(), e);
        }
    }

    /**
     * Waits until both the wall clock and the monotonic clock have moved on by a few milliseconds, so
     * that an {@code apply} reading either sees another value on the second replica.
     */
    private static void awaitTimeMoving() {
        long wall = System.currentTimeMillis();
        long mono = System.nanoTime();
        while (System.currentTimeMillis() < wall + 3 || System.nanoTime() < mono + TimeUnit.MILLISECONDS.toNanos(3)) {
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
        }
    }

    private static String show(byte[] bytes) {
        return ByteText.of(bytes);
    }
}
