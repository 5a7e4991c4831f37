package io.raftkit.testkit.sim;

import java.util.List;
import java.util.SplittableRandom;

/**
 * What a TCP transport tells a node of its peers' connections ({@code Transport.Receiver.unreachable}):
 * when a node crashes, every running node hears it is unreachable a network delay later (its
 * connections reset); and in the mixes with a faulty network, now and then a node hears that a peer is
 * unreachable when it is not (a connection dropped and redialled), since the report is advice the
 * runtime must never rely on for safety. A cut link reports nothing, as a silent network would not.
 *
 * <p>Its random source is its own (split after every other), so that the faults and delays every
 * other part of a schedule draws are those they were before it existed.
 */
final class ConnectionLosses {

    private final Simulation sim;
    private final SplittableRandom random;
    private final SimOptions options;
    /** Per nominal tick, the chance that a running node hears of a loss that did not happen. */
    private final double spuriousRate;
    private boolean active = true;
    private int reported;

    ConnectionLosses(Simulation sim, SplittableRandom random, SimOptions options) {
        this.sim = sim;
        this.random = random;
        this.options = options;
        boolean faultyNetwork = options.dropRate() > 0 || options.partitionRate() > 0;
        this.spuriousRate = faultyNetwork ? 0.05 * random.nextDouble() : 0;
    }

    void start() {
        if (spuriousRate > 0) {
            sim.events().after(SimOptions.TICK, "connection losses", this::maybeSpurious);
        }
    }

    /** No more spurious losses (the liveness phase); crashes still reset connections. */
    void stop() {
        active = false;
    }

    /** {@code crashed} went down: the running nodes hear of it as its connections reset. */
    void crashed(SimNode crashed) {
        for (SimNode n : sim.nodes()) {
            if (n != crashed) {
                report(n, crashed.id);
            }
        }
    }

    private void maybeSpurious() {
        if (!active) {
            return;
        }
        if (random.nextDouble() < spuriousRate) {
            List<String> ids = sim.nodeIds();
            String to = ids.get(random.nextInt(ids.size()));
            String peer = ids.get(random.nextInt(ids.size()));
            if (!to.equals(peer)) {
                report(sim.node(to), peer);
            }
        }
        sim.events().after(SimOptions.TICK, "connection losses", this::maybeSpurious);
    }

    private void report(SimNode n, String peer) {
        long delay = options.minDelay() + random.nextLong(options.maxDelay() - options.minDelay() + 1);
        sim.events().after(delay, new SimNode.Label(n.id, "hears " + peer + " is unreachable"), () -> {
            reported++;
            n.peerUnreachable(peer);
        });
    }

    @Override
    public String toString() {
        return "unreachable=" + reported;
    }
}
