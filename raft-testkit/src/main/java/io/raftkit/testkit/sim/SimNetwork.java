package io.raftkit.testkit.sim;

import io.raftkit.core.message.Message;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The network between simulated nodes, driven by one seeded PRNG: every message gets its own delay
 * (so messages overtake each other), and may be dropped, duplicated (each copy with its own delay) or
 * held up for a long time. Links can be cut one direction at a time: a symmetric partition cuts both
 * directions between two sides, a one-way partition only some directions, an isolated node all of its
 * links. A message is lost when its link is cut when it is sent or when it would arrive.
 */
final class SimNetwork {

    private final EventQueue events;
    private final SplittableRandom random;
    private final SimOptions options;
    private final List<String> ids;
    private final Consumer<Message> deliver;
    private final boolean[][] cut;
    private boolean stable;
    private long sent;
    private long dropped;

    SimNetwork(EventQueue events, SplittableRandom random, SimOptions options, List<String> ids,
               Consumer<Message> deliver) {
        this.events = events;
        this.random = random;
        this.options = options;
        this.ids = ids;
        this.deliver = deliver;
        this.cut = new boolean[ids.size()][ids.size()];
    }

    /** What a scripted schedule does with the messages {@link #intercept} matches. */
    enum Verdict { HOLD, DROP }

    private record Interception(java.util.function.Predicate<Message> which, Verdict verdict) {}

    private final List<Interception> interceptions = new java.util.ArrayList<>();
    private final List<Message> held = new java.util.ArrayList<>();

    /** From now on, messages matching {@code which} when sent are held back (or lost) instead of sent. */
    void intercept(java.util.function.Predicate<Message> which, Verdict verdict) {
        interceptions.add(new Interception(which, verdict));
    }

    /** Stops intercepting; held messages stay held until {@link #release}. */
    void stopIntercepting() {
        interceptions.clear();
    }

    /** Sends the held messages matching {@code which} now, as if just sent; returns how many. */
    int release(java.util.function.Predicate<Message> which) {
        List<Message> go = new java.util.ArrayList<>();
        held.removeIf(m -> which.test(m) && go.add(m));
        for (Message m : go) {
            schedule(m, ids.indexOf(m.from()), ids.indexOf(m.to()));
        }
        return go.size();
    }

    void send(Message m) {
        for (Interception i : interceptions) {
            if (i.which().test(m)) {
                if (i.verdict() == Verdict.HOLD) {
                    held.add(m);
                }
                return;
            }
        }
        sent++;
        int from = ids.indexOf(m.from());
        int to = ids.indexOf(m.to());
        if (cut[from][to] || (!stable && random.nextDouble() < options.dropRate())) {
            dropped++;
            return;
        }
        schedule(m, from, to);
        if (!stable && random.nextDouble() < options.duplicateRate()) {
            schedule(m, from, to);
        }
    }

    private void schedule(Message m, int from, int to) {
        long delay = options.minDelay() + random.nextLong(options.maxDelay() - options.minDelay() + 1);
        if (!stable && random.nextDouble() < options.slowRate()) {
            delay += random.nextLong(options.slowDelay() + 1);
        }
        events.after(delay, m, () -> {
            if (cut[from][to]) {
                dropped++;
            } else {
                deliver.accept(m);
            }
        });
    }

    /** Cuts every link between {@code side} and the rest, both ways. */
    void partition(List<String> side) {
        for (String a : ids) {
            for (String b : ids) {
                if (side.contains(a) != side.contains(b)) {
                    cut(a, b);
                }
            }
        }
    }

    /** Cuts messages from {@code from} to {@code to}; the other direction keeps working. */
    void cut(String from, String to) {
        cut[ids.indexOf(from)][ids.indexOf(to)] = true;
    }

    void isolate(String id) {
        partition(List.of(id));
    }

    void heal() {
        for (boolean[] row : cut) {
            java.util.Arrays.fill(row, false);
        }
    }

    boolean anyCut() {
        for (boolean[] row : cut) {
            for (boolean c : row) {
                if (c) {
                    return true;
                }
            }
        }
        return false;
    }

    /** From now on: no loss, no duplicates, no long delays (the liveness phase). */
    void stabilize() {
        stable = true;
    }

    long sent() {
        return sent;
    }

    long dropped() {
        return dropped;
    }
}
