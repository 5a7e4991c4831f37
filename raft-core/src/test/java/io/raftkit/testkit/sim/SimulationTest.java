package io.raftkit.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Runs the simulator over a fixed range of seeds (every build runs the same schedules), or one seed to
 * replay a failure, or a long campaign:
 * <pre>
 *   mvn -pl raft-core test -Dtest=SimulationTest                                   # the fixed seeds
 *   mvn -pl raft-core test -Dtest=SimulationTest -Draftkit.seed=N                  # replay one run
 *   mvn -pl raft-core test -Dtest=SimulationTest -Draftkit.sim.seeds=100000 -Draftkit.sim.firstSeed=S -Draftkit.test.forkTimeoutSeconds=0
 * </pre>
 * {@code -Draftkit.sim.bug=NAME} plants a bug from {@link SimBugs} in every node.
 */
class SimulationTest {

    /** Seeds every build runs: at least 500 schedules, spread over every fault mix by the seeds themselves. */
    static final int DEFAULT_SEEDS = 1000;

    /** What a range of runs did, for the summary line and for the coverage assertions. */
    private record Coverage(int count, Map<FaultMix, Integer> perMix, int withSnapshots, int taking, int sending,
                            int installing, long taken, long sent, long installed) {}

    /** The campaign both tests look at: run once per test class, whichever test asks first. */
    private static Coverage campaign;

    @Test
    void everyScheduleIsSafeAndLive() {
        String one = System.getProperty("raftkit.seed");
        if (one != null) {
            SimResult r = Campaign.run(Long.parseLong(one.trim()), plantedBugs());
            System.out.println(r);
            return;
        }
        Coverage c = campaign();
        assertThat(c.perMix()).as("every fault mix ran")
                .hasSize(c.count() >= 500 ? FaultMix.values().length : c.perMix().size());
    }

    /**
     * A snapshot path that never runs is a snapshot path never checked: over the fixed seeds, followers
     * must install snapshots in a good share of the runs that take them.
     */
    @Test
    void snapshotsAreTakenSentAndInstalled() {
        assumeTrue(System.getProperty("raftkit.seed") == null, "one seed replayed");
        Coverage c = campaign();
        assumeTrue(c.count() >= 500, "too few seeds to judge coverage");
        assertThat(c.taking()).as("runs that took snapshots").isGreaterThanOrEqualTo(c.withSnapshots() * 9 / 10);
        assertThat(c.sending()).as("runs in which a snapshot was sent, by a leader or a follower it asked").isGreaterThanOrEqualTo(c.withSnapshots() / 3);
        assertThat(c.installing()).as("runs in which a follower installed a snapshot")
                .isGreaterThanOrEqualTo(c.withSnapshots() / 3);
    }

    /**
     * Seeds outside the fixed range that once failed, for reasons since fixed: 12862 (the hung-disk
     * liveness phase sent one write to the leader, which refused it with its uncommitted budget full, so
     * nothing was outstanding on the hung disk and the leader rightly kept leading; the write is now
     * sent again until one is taken); 22775 (a checker's bound: a leader's window may end with one
     * configuration entry larger than any command, which the check took for the largest entry; seen once
     * commit notices stopped filling windows with empty appends); 275647 (a group of five shrunk to two
     * by a joint change, pre-vote and check-quorum off: two removed nodes never learned that their
     * removal committed, so they went on standing, and every higher term they sent deposed the leader
     * the two voters had just elected; voters now ignore such requests, scenario
     * {@code membership_removed_stale_candidate}); 521678 (pre-vote off: a node whose log ended in a
     * change removing it stood, to finish that change, and voted for itself each term, while the leader
     * of a later configuration that needed its vote reached each term second: 380 ticks without a
     * leader after the heal; such a node now keeps no vote for itself, which counts for nothing in its
     * configuration).
     */
    @Test
    void schedulesThatOnceFailedPass() {
        for (long seed : new long[] {12862, 22775, 275647, 521678}) {
            assertThat(Campaign.run(seed).seed()).isEqualTo(seed);
        }
    }

    @Test
    void aSeedReplaysExactly() {
        for (long seed : new long[] {7, 8, 9}) {
            SimResult a = Campaign.run(seed);
            SimResult b = Campaign.run(seed);
            assertThat(b).isEqualTo(a);
        }
    }

    private static synchronized Coverage campaign() {
        if (campaign != null) {
            return campaign;
        }
        List<String> bugs = plantedBugs();
        long first = Long.getLong("raftkit.sim.firstSeed", 1L);
        int count = Integer.getInteger("raftkit.sim.seeds", DEFAULT_SEEDS);
        Map<FaultMix, Integer> perMix = new EnumMap<>(FaultMix.class);
        long steps = 0;
        long ops = 0;
        long maxTicksToLeader = 0;
        int withSnapshots = 0;
        int taking = 0;
        int sending = 0;
        int installing = 0;
        long taken = 0;
        long sent = 0;
        long installed = 0;
        for (long seed = first; seed < first + count; seed++) {
            SimResult r = Campaign.run(seed, bugs);
            perMix.merge(r.mix(), 1, Integer::sum);
            steps += r.steps();
            ops += r.operations();
            maxTicksToLeader = Math.max(maxTicksToLeader, r.ticksToLeader());
            withSnapshots += SimOptions.draw(seed).snapshots() ? 1 : 0;
            SimResult.Snapshots s = r.snapshots();
            taking += s.taken() > 0 ? 1 : 0;
            sending += s.sent() > 0 ? 1 : 0;
            installing += s.installed() > 0 ? 1 : 0;
            taken += s.taken();
            sent += s.sent();
            installed += s.installed();
        }
        System.out.printf("simulated %d schedules (seeds %d..%d): %s; %d steps, %d client operations, "
                + "slowest leader after heal: %d ticks%n", count, first, first + count - 1, perMix, steps, ops,
                maxTicksToLeader);
        System.out.printf("snapshots: %d runs take them; %d took, %d sent, %d installed some; %d taken, %d sent, "
                + "%d installed in all%n", withSnapshots, taking, sending, installing, taken, sent, installed);
        campaign = new Coverage(count, perMix, withSnapshots, taking, sending, installing, taken, sent, installed);
        return campaign;
    }

    private static List<String> plantedBugs() {
        String names = System.getProperty("raftkit.sim.bug", "").trim();
        return names.isEmpty() ? List.of() : Arrays.asList(names.split(","));
    }
}
