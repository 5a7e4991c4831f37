package io.raftkit.testkit.sim;

import java.util.SplittableRandom;

/**
 * The clients' rhythm, common to every {@link SimApplication}: {@code options.clients()} clients, each
 * waking after a random think time to send one operation ({@link #wake}) and waking again once it ends,
 * until the liveness phase stops them issuing.
 */
abstract class SimClients implements SimApplication {

    final Simulation sim;
    final SplittableRandom random;
    final SimOptions options;
    private boolean issuing = true;

    SimClients(Simulation sim, SplittableRandom random, SimOptions options) {
        this.sim = sim;
        this.random = random;
        this.options = options;
    }

    @Override
    public void start() {
        for (int c = 0; c < options.clients(); c++) {
            scheduleWake(c);
        }
    }

    /** Clients finish what they started but begin nothing new (the liveness phase). */
    @Override
    public void stopIssuing() {
        issuing = false;
    }

    /** Whether clients still begin new operations. */
    boolean issuing() {
        return issuing;
    }

    /** Client {@code client} wakes after a random think time. */
    void scheduleWake(int client) {
        sim.events().after(1 + random.nextLong(options.thinkMax()), new SimNode.Label("client" + client, "wakes"),
                () -> {
                    if (issuing) {
                        wake(client);
                    }
                });
    }

    /** Client {@code client} sends its next operation (called only while issuing). */
    abstract void wake(int client);
}
