package io.raftkit.testkit.sim;

import io.raftkit.core.RaftConfig;
import io.raftkit.node.NodeOptions;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Every knob of one run, all drawn from its seed by {@link #draw}. Times are in simulated time units:
 * a nominal tick is {@link #TICK} units, and each node's clock ticks every {@code tickPeriods[i]}
 * units (skew). Rates are probabilities per nominal tick (faults) or per message / write.
 *
 * <p>Snapshots: {@code snapshotEvery} is how many applied entries a node waits before it snapshots its
 * state machine (0: never), and {@code snapshotWriteMax} the longest the snapshot I/O process takes
 * for its work (a chunk written, a transfer started). {@code applyDelayMax} is the longest the apply
 * process lags behind the event loop.
 *
 * <p>Sessions: the first {@code sessionClients} clients write through a client session and retry a write
 * whose outcome is unknown with the same sequence number; sessions expire after {@code sessionTimeout}
 * units without a command. They are drawn last, so that the other knobs of a seed are what they were
 * before sessions existed.
 *
 * <p>{@code hangLeaderDisk}: once the faults heal and a leader is followed by all, its disk hangs (no
 * write completes) until another node leads; drawn after everything else, for the same reason.
 */
record SimOptions(
        long seed, FaultMix mix, int nodes, RaftConfig raft, long[] tickPeriods,
        long minDelay, long maxDelay, double dropRate, double duplicateRate, double slowRate, long slowDelay,
        double partitionRate, long partitionMin, long partitionMax,
        long diskMinLatency, long diskMaxLatency, double diskStallRate, long diskStall,
        double crashRate, long downMin, long downMax, double tornCrashRate, double leaderFaultRate,
        double stallRate, long stallMin, long stallMax, double leaderStallRate, long applyDelayMax,
        int clients, int keys, long thinkMax, int readPercent, int casPercent, int leasePercent, int stalePercent,
        long requestTimeout, long safetyTime, long livenessBudget,
        int snapshotEvery, long snapshotWriteMax, int initialVoters, double membershipRate,
        int sessionClients, long sessionTimeout, boolean hangLeaderDisk) {

    /** Simulated time units per nominal tick. */
    public static final long TICK = 100;

    /**
     * {@code -Draftkit.sim.leaseSkew=S} overrides the clock skew (+-S) of runs that issue lease reads,
     * to probe the lease's drift assumption; by default it is kept within {@link #leaseSafeSkew}.
     */
    static final double LEASE_SKEW = Double.parseDouble(System.getProperty("raftkit.sim.leaseSkew", "-1"));

    /**
     * The largest +-skew under which lease reads are safe with {@code config}. A leader serves lease
     * reads until {@code leaseTicks} of its ticks after the heartbeat round it sent; a follower that
     * got that heartbeat refuses votes until its elapsed ticks reach {@code electionTicks}, which can be
     * as soon as {@code electionTicks - 1} of its periods later (its first tick comes at once). So the
     * leader's period may be at most {@code (electionTicks - 1) / leaseTicks} times a follower's:
     * 9/7 with the default 10-tick timeout and its default 7-tick lease (+-12.5% skew).
     */
    static double leaseSafeSkew(RaftConfig config) {
        double ratio = (config.electionTicks() - 1) / (double) config.leaseTicks();
        return Math.max(0, (ratio - 1) / (ratio + 1));
    }

    /** Draws every knob from {@code seed}; the first thing a run does. */
    public static SimOptions draw(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        FaultMix mix = FaultMix.values()[r.nextInt(FaultMix.values().length)];
        return draw(seed, mix, r);
    }

    private static SimOptions draw(long seed, FaultMix mix, SplittableRandom r) {
        boolean membership = mix == FaultMix.MEMBERSHIP;
        int nodes = membership ? 2 + r.nextInt(6) : r.nextBoolean() ? 3 : 5;
        boolean chaos = mix == FaultMix.CHAOS || mix == FaultMix.LEASE_READS || membership;
        boolean lease = mix == FaultMix.LEASE_READS;
        boolean churn = mix == FaultMix.LEADER_CHURN;
        boolean wild = mix == FaultMix.WILD_CLOCKS;

        int electionTicks = 6 + r.nextInt(7);
        RaftConfig.Builder raft = RaftConfig.builder()
                .electionTicks(electionTicks)
                .heartbeatTicks(1 + r.nextInt(Math.min(3, electionTicks / 3)))
                .preVote(r.nextInt(100) < 85)
                .checkQuorum(lease || r.nextInt(100) < 85)
                // Drawn from a stream of its own, so that every other knob of a seed stays as it was.
                .snapshotsFromFollowers(new SplittableRandom(seed ^ 0x5EEDD0A0L).nextInt(8) != 0);
        if (churn || r.nextInt(3) == 0) {
            // Tiny batches and windows: appends carry one or two entries, so replication interleaves more.
            raft.maxAppendBytes(40 + r.nextInt(60)).maxInflightMessages(1 + r.nextInt(4)).maxInflightBytes(200)
                    .maxApplyBytes(1 + r.nextInt(100))
                    // A few entries: leaders refuse proposals whenever commits lag (drawn from nothing new,
                    // so that the seed's other knobs stay as they were).
                    .maxUncommittedBytes(400);
        }

        RaftConfig config = raft.build();
        double skew = wild ? 0.4 * r.nextDouble()
                : (LEASE_SKEW >= 0 ? LEASE_SKEW : 0.9 * leaseSafeSkew(config)) * r.nextDouble();
        long[] periods = new long[nodes];
        for (int i = 0; i < nodes; i++) {
            periods[i] = Math.round(TICK * (1 + skew * (2 * r.nextDouble() - 1)));
        }

        boolean lossy = mix == FaultMix.LOSSY_NETWORK || chaos || churn || wild;
        long minDelay = 1 + r.nextInt(10);
        long maxDelay = minDelay + (lossy ? r.nextInt((int) (2 * TICK)) : r.nextInt((int) (TICK / 2)));
        double dropRate = lossy ? (churn ? 0.05 : 0.2) * r.nextDouble() : 0;
        double duplicateRate = lossy ? 0.1 * r.nextDouble() : 0;
        double slowRate = lossy ? 0.05 * r.nextDouble() : 0;
        long slowDelay = lossy ? TICK * (2 + r.nextInt(20)) : 0;

        boolean partitions = mix == FaultMix.PARTITIONS || chaos || churn || wild;
        double partitionRate = partitions ? 0.01 + 0.05 * r.nextDouble() : 0;
        long partitionMin = TICK * 2;
        long partitionMax = TICK * (5 + r.nextInt(60));

        boolean crashes = mix == FaultMix.CRASHES || chaos || churn;
        long diskMin = r.nextInt((int) (TICK / 10));
        long diskMax = diskMin + (crashes ? r.nextInt((int) (2 * TICK)) : r.nextInt((int) (TICK / 2)));
        double diskStallRate = crashes ? 0.02 * r.nextDouble() : 0;
        long diskStall = TICK * (2 + r.nextInt(15));
        double crashRate = crashes ? 0.005 + 0.03 * r.nextDouble() : 0;
        long downMin = TICK;
        long downMax = TICK * (5 + r.nextInt(churn ? 20 : 80));
        double tornCrashRate = crashes ? r.nextDouble() * 0.5 : 0;
        double leaderFaultRate = churn ? 0.03 + 0.1 * r.nextDouble() : chaos ? 0.02 * r.nextDouble() : 0;

        boolean stalls = mix == FaultMix.STALLS || chaos;
        double stallRate = stalls ? 0.005 + 0.03 * r.nextDouble() : 0;
        long stallMin = TICK;
        long stallMax = TICK * (3 + r.nextInt(40));
        double leaderStallRate = stalls ? 0.01 + 0.04 * r.nextDouble() : 0;
        long applyDelayMax = r.nextInt((int) (crashes || stalls ? TICK : TICK / 4));

        int clients = 1 + r.nextInt(8);
        int keys = 1 + r.nextInt(5);
        long thinkMax = 1 + r.nextInt((int) (3 * TICK));
        int readPercent = 20 + r.nextInt(50);
        int casPercent = r.nextInt(50);
        int leasePercent = mix.allowsLeaseReads() ? (lease || stalls ? 40 + r.nextInt(50) : r.nextInt(40)) : 0;
        int stalePercent = r.nextInt(25);
        long requestTimeout = TICK * (3L * electionTicks + r.nextInt(5 * electionTicks));
        long safetyTime = TICK * (250 + r.nextInt(250));
        long livenessBudget = TICK * 40L * electionTicks;

        int snapshotEvery = r.nextInt(4) == 0 ? 0 : 5 + r.nextInt(46);
        long snapshotWriteMax = r.nextInt((int) (crashes ? 2 * TICK : TICK / 2));
        int initialVoters = membership ? 1 + r.nextInt(nodes) : nodes;
        double membershipRate = membership ? 0.02 + 0.1 * r.nextDouble() : mix == FaultMix.CHAOS ? 0.02 * r.nextDouble() : 0;
        int sessionClients = r.nextBoolean() ? 0 : 1 + r.nextInt(clients);
        long sessionTimeout = TICK * (50 + r.nextInt(500));
        boolean hangLeaderDisk = r.nextInt(4) == 0;

        return new SimOptions(seed, mix, nodes, config, periods, minDelay, maxDelay, dropRate, duplicateRate,
                slowRate, slowDelay, partitionRate, partitionMin, partitionMax, diskMin, diskMax, diskStallRate,
                diskStall, crashRate, downMin, downMax, tornCrashRate, leaderFaultRate, stallRate, stallMin, stallMax,
                leaderStallRate, applyDelayMax, clients, keys, thinkMax, readPercent, casPercent, leasePercent,
                stalePercent, requestTimeout, safetyTime, livenessBudget, snapshotEvery, snapshotWriteMax, initialVoters,
                membershipRate, sessionClients, sessionTimeout, hangLeaderDisk);
    }

    /**
     * A calm run for a scripted schedule: 3 nodes with {@code raft}, clocks at the given tick periods,
     * short message delays and nothing else: no loss, no faults, no clients, no snapshots. The test
     * plays the nemesis and the clients.
     */
    static SimOptions scripted(long seed, RaftConfig raft, long... tickPeriods) {
        return new SimOptions(seed, FaultMix.CALM, 3, raft, tickPeriods, 1, 5, 0, 0, 0, 0, 0, TICK, TICK, 1, 5, 0, 0,
                0, TICK, TICK, 0, 0, 0, TICK, TICK, 0, 10, 0, 3, TICK, 0, 0, 0, 0, TICK * 30L * raft.electionTicks(),
                TICK * 1000, TICK * 1000, 0, 10, 3, 0, 0, TICK * 1000, false);
    }

    /**
     * The runtime's settings for a node of this run: one nominal tick is 100 ms of its clock; requests
     * time out after {@code requestTimeout} (clients give up later, see {@code Workload}).
     */
    NodeOptions nodeOptions() {
        return nodeOptions(true);
    }

    /** As {@link #nodeOptions()}; without {@code detectDiskStalls}, a leader keeps leading on a hung disk. */
    NodeOptions nodeOptions(boolean detectDiskStalls) {
        NodeOptions.Builder b = NodeOptions.builder();
        if (!detectDiskStalls) {
            b.diskStallTimeout(Duration.ZERO);
        }
        return b
                .raft(raft)
                .tickInterval(Duration.ofNanos(TICK * SimClock.NANOS_PER_UNIT))
                .requestTimeout(Duration.ofNanos(requestTimeout * SimClock.NANOS_PER_UNIT))
                .maxCommandBytes((int) Math.min(1 << 20, raft.maxAppendBytes()))
                // Tiny in the runs with tiny batches: the apply process then often holds the budget full.
                .maxApplyQueueBytes(4 * raft.maxApplyBytes())
                .snapshotEveryEntries(snapshotEvery == 0 ? Long.MAX_VALUE : snapshotEvery)
                .snapshotChunkBytes(1024)
                .sessions(io.raftkit.node.SessionOptions.defaults().withTimeout(Duration.ofMillis(sessionTimeout)))
                .build();
    }

    /** One line naming every knob, logged before the run starts. */
    public String describe() {
        RaftConfig c = raft;
        return String.format(
                "seed=%d mix=%s nodes=%d raft[election=%d heartbeat=%d lease=%d preVote=%b checkQuorum=%b donors=%b appendBytes=%d"
                        + " inflight=%d applyBytes=%d] tickPeriods=%s net[delay=%d..%d drop=%.3f dup=%.3f slow=%.3f/%d"
                        + " partition=%.3f/%d..%d] disk[latency=%d..%d stall=%.3f/%d] crash=%.3f down=%d..%d torn=%.2f leaderFault=%.3f"
                        + " stall=%.3f/%d..%d leaderStall=%.3f applyDelay<=%d clients=%d keys=%d think<=%d read=%d%% cas=%d%%"
                        + " lease=%d%% stale=%d%% timeout=%d safety=%d liveness<=%d snapshot[every=%d io<=%d]"
                        + " voters=%d membership=%.3f sessions[clients=%d timeout=%d] hangLeaderDisk=%b",
                seed, mix, nodes, c.electionTicks(), c.heartbeatTicks(), c.leaseTicks(), c.preVote(), c.checkQuorum(),
                c.snapshotsFromFollowers(), c.maxAppendBytes(), c.maxInflightMessages(), c.maxApplyBytes(), Arrays.toString(tickPeriods), minDelay,
                maxDelay, dropRate, duplicateRate, slowRate, slowDelay, partitionRate, partitionMin, partitionMax,
                diskMinLatency, diskMaxLatency, diskStallRate, diskStall, crashRate, downMin, downMax, tornCrashRate,
                leaderFaultRate, stallRate, stallMin, stallMax, leaderStallRate, applyDelayMax, clients, keys, thinkMax,
                readPercent, casPercent, leasePercent, stalePercent, requestTimeout, safetyTime, livenessBudget,
                snapshotEvery, snapshotWriteMax, initialVoters, membershipRate, sessionClients, sessionTimeout,
                hangLeaderDisk);
    }

    /** Whether nodes take snapshots and compact their logs in this run. */
    boolean snapshots() {
        return snapshotEvery > 0;
    }

    @Override
    public String toString() {
        return describe();
    }
}
