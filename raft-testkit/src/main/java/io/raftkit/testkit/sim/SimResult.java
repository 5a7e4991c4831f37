package io.raftkit.testkit.sim;

/**
 * What a passing run did, for the campaign's summary and for checking that a replay is exact.
 *
 * @param fingerprint a hash of the whole history and the nodes' final states: equal for equal seeds
 * @param ticksToLeader nominal ticks from the heal until a leader every node follows
 */
public record SimResult(long seed, FaultMix mix, long steps, long simulatedTicks, int operations, int ok, int failed,
                        int indeterminate, long ticksToLeader, long messages, long dropped, String faults,
                        Snapshots snapshots, long fingerprint) {

    /** How many snapshots the nodes took, started sending, and installed (a Ready's snapshotToInstall). */
    public record Snapshots(int taken, int sent, int installed) {
        @Override
        public String toString() {
            return "snapshots[taken=" + taken + " sent=" + sent + " installed=" + installed + "]";
        }
    }

    @Override
    public String toString() {
        return "seed=" + seed + " mix=" + mix + " steps=" + steps + " ticks=" + simulatedTicks + " ops=" + operations
                + " (ok=" + ok + " failed=" + failed + " indeterminate=" + indeterminate + ") leaderAfterHeal="
                + ticksToLeader + " ticks messages=" + messages + " dropped=" + dropped + " " + faults + " " + snapshots;
    }
}
