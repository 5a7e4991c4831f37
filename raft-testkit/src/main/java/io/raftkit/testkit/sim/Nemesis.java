package io.raftkit.testkit.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Injects the run's faults during the safety phase, deciding once per nominal tick, each fault with
 * its own rate: crash a node (and restart it later from its disk), stall one (its process stops while
 * time runs on; then it handles its backlog), stall the leader and cut it off, resuming it before the
 * partition heals (where a lease could outlive its time), or partition the network (symmetric split,
 * one-way cuts, one node isolated) and heal it later. At least one node is always up and running;
 * beyond that, anything goes, including losing a majority, which must cost availability but never safety.
 */
final class Nemesis {

    private final Simulation sim;
    private final SplittableRandom random;
    private final SimOptions options;
    private boolean partitioned;
    private boolean active = true;
    private int crashes;
    private int stalls;
    private int membershipChanges;
    private int transfers;
    private int partitions;

    Nemesis(Simulation sim, SplittableRandom random, SimOptions options) {
        this.sim = sim;
        this.random = random;
        this.options = options;
    }

    void start() {
        sim.events().after(SimOptions.TICK, "nemesis", this::decide);
    }

    /** No new faults (the liveness phase); the simulation heals the existing ones. */
    void stop() {
        active = false;
    }

    private void decide() {
        if (!active) {
            return;
        }
        if (random.nextDouble() < options.crashRate()) {
            SimNode n = pickRunning();
            if (n != null) {
                crashUntilLater(n);
            }
        }
        if (random.nextDouble() < options.stallRate()) {
            SimNode n = pickRunning();
            if (n != null) {
                stallUntilLater(n);
            }
        }
        if (!partitioned && random.nextDouble() < options.leaderStallRate()) {
            stallCutOffLeader();
        }
        if (!partitioned && random.nextDouble() < options.partitionRate()) {
            partition();
        }
        if (random.nextDouble() < options.leaderFaultRate()) {
            strikeLeader();
        }
        if (random.nextDouble() < options.membershipRate()) {
            changeMembership();
        }
        if (random.nextDouble() < options.membershipRate() / 2) {
            transferLeadership();
        }
        sim.events().after(SimOptions.TICK, "nemesis", this::decide);
    }

    private void partition() {
        partitions++;
        partitioned = true;
        List<String> ids = new ArrayList<>(sim.nodeIds());
        switch (random.nextInt(4)) {
            case 0 -> { // symmetric: a random minority (or half) against the rest
                shuffle(ids);
                sim.network().partition(ids.subList(0, 1 + random.nextInt(ids.size() / 2)));
            }
            case 1 -> { // one-way: a few random directed links stop carrying messages
                int links = 1 + random.nextInt(ids.size());
                for (int i = 0; i < links; i++) {
                    String from = ids.get(random.nextInt(ids.size()));
                    String to = ids.get(random.nextInt(ids.size()));
                    if (!from.equals(to)) {
                        sim.network().cut(from, to);
                    }
                }
            }
            case 2 -> sim.network().isolate(ids.get(random.nextInt(ids.size())));
            default -> { // one node can send but not receive, or receive but not send
                String id = ids.get(random.nextInt(ids.size()));
                boolean deaf = random.nextBoolean();
                for (String other : ids) {
                    if (!other.equals(id)) {
                        if (deaf) {
                            sim.network().cut(other, id);
                        } else {
                            sim.network().cut(id, other);
                        }
                    }
                }
            }
        }
        healLater();
    }

    private long stallUntilLater(SimNode n) {
        stalls++;
        n.stall();
        long stall = options.stallMin() + random.nextLong(options.stallMax() - options.stallMin() + 1);
        sim.events().after(stall, new SimNode.Label(n.id, "resumes"), () -> {
            if (active && n.stalled()) {
                n.resume();
            }
        });
        return stall;
    }

    /**
     * The schedule: the leader's process stops and it is cut off; the others elect a leader and
     * commit; it resumes while still cut off, with lease reads waiting for it, and only later the
     * partition heals.
     */
    private void stallCutOffLeader() {
        SimNode leader = newestLeader();
        if (leader == null || pickRunning() == null) {
            return;
        }
        long stall = stallUntilLater(leader);
        partitions++;
        partitioned = true;
        sim.network().isolate(leader.id);
        long heal = stall + options.partitionMin() + random.nextLong(options.partitionMax() + 1);
        sim.events().after(heal, "heal partition", () -> {
            if (active) {
                sim.network().heal();
                partitioned = false;
            }
        });
    }

    /**
     * Asks the newest leader to change the group to a random configuration: 1 to 7 voters among all
     * the nodes, and some of the others as learners. The core decides whether that is a single-server
     * or a joint change, and refuses it while another is unfinished.
     */
    private void changeMembership() {
        SimNode leader = newestLeader();
        if (leader == null) {
            return;
        }
        List<String> ids = new ArrayList<>(sim.nodeIds());
        shuffle(ids);
        int voters = 1 + random.nextInt(Math.min(7, ids.size()));
        if (random.nextInt(3) > 0) {
            // Mostly a step of one voter from the current voters: the common case, a single-server change.
            java.util.Set<String> current = leader.core().configuration().voters();
            voters = Math.max(1, Math.min(ids.size(), current.size() + (random.nextBoolean() ? 1 : -1)));
            ids.sort((a, b) -> Boolean.compare(!current.contains(a), !current.contains(b)));
        }
        java.util.Set<String> voterSet = new java.util.HashSet<>(ids.subList(0, voters));
        java.util.Set<String> learners = new java.util.HashSet<>();
        for (String id : ids.subList(voters, ids.size())) {
            if (random.nextInt(3) == 0) {
                learners.add(id);
            }
        }
        membershipChanges++;
        io.raftkit.core.Configuration target = new io.raftkit.core.Configuration(voterSet, java.util.Set.of(), learners,
                java.util.Map.of());
        // A negative request id: the node's own requests are numbered from 1, and this one needs no answer.
        leader.act(core -> core.proposeConfiguration(-membershipChanges, target));
    }

    /** Asks the newest leader to hand leadership to a random node (maybe a learner or a stranger), or to the best. */
    private void transferLeadership() {
        SimNode leader = newestLeader();
        if (leader == null) {
            return;
        }
        transfers++;
        String target = random.nextInt(4) == 0 ? null : sim.nodeIds().get(random.nextInt(sim.nodeIds().size()));
        leader.act(core -> core.transferLeadership(-1_000_000L - transfers, target));
    }

    private void crashUntilLater(SimNode n) {
        crashes++;
        sim.crash(n);
        long down = options.downMin() + random.nextLong(options.downMax() - options.downMin() + 1);
        sim.events().after(down, new SimNode.Label(n.id, "restart"), () -> {
            if (active && n.crashed()) {
                sim.restart(n);
            }
        });
    }

    private void healLater() {
        long duration = options.partitionMin() + random.nextLong(options.partitionMax() - options.partitionMin() + 1);
        sim.events().after(duration, "heal partition", () -> {
            if (active) {
                sim.network().heal();
                partitioned = false;
            }
        });
    }

    /** Crashes the newest leader, or cuts it off when a partition is free (Jepsen's "kill the primary"). */
    private void strikeLeader() {
        SimNode leader = newestLeader();
        if (leader == null) {
            return;
        }
        if (partitioned || random.nextBoolean()) {
            crashUntilLater(leader);
        } else {
            partitions++;
            partitioned = true;
            sim.network().isolate(leader.id);
            healLater();
        }
    }

    /** The running node that leads the highest term, or null. */
    private SimNode newestLeader() {
        SimNode leader = null;
        for (SimNode n : sim.nodes()) {
            if (!n.crashed() && !n.stalled() && n.core().role() == io.raftkit.core.RaftRole.LEADER
                    && (leader == null || n.core().term() > leader.core().term())) {
                leader = n;
            }
        }
        return leader;
    }

    /** A node that is up and not stalled, as long as another one would remain. */
    private SimNode pickRunning() {
        List<SimNode> running = new ArrayList<>();
        for (SimNode n : sim.nodes()) {
            if (!n.crashed() && !n.stalled()) {
                running.add(n);
            }
        }
        return running.size() < 2 ? null : running.get(random.nextInt(running.size()));
    }

    private void shuffle(List<String> ids) {
        for (int i = ids.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            String t = ids.get(i);
            ids.set(i, ids.get(j));
            ids.set(j, t);
        }
    }

    String summary() {
        return "crashes=" + crashes + " stalls=" + stalls + " changes=" + membershipChanges + " transfers=" + transfers + " partitions=" + partitions;
    }
}
