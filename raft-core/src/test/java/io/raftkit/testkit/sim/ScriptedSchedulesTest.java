package io.raftkit.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.core.RaftConfig;
import io.raftkit.core.RaftCore;
import io.raftkit.core.RaftRole;
import io.raftkit.core.message.Message;
import io.raftkit.core.message.TimeoutNow;
import io.raftkit.core.message.VoteRequest;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The issue's schedules as simulator runs: the real runtime of every node ({@link SimNode}) on
 * simulated clocks, disks and network, with the test playing the nemesis and the clients. Each
 * schedule also runs with the defect it guards against planted, to show that it exercises it.
 */
class ScriptedSchedulesTest {

    private static final List<String> ALL = List.of("n1", "n2", "n3");

    /**
     * A leader's process stops (SIGSTOP, a long GC pause) and it is cut off; the others elect a new
     * leader, which acknowledges a write; the old leader resumes, still cut off, with a lease read
     * waiting. It must not answer the value from before the stall.
     */
    @Test
    void aStalledLeaderResumingCutOffServesNoLeaseReadFromBeforeTheStall() {
        StallOutcome o = leaseReadAfterStall(List.of());
        assertThat(o.answer()).as("the resumed leader's lease read (the old value is %s)", o.oldValue())
                .isNotEqualTo(o.oldValue());
    }

    @Test
    void withAClockThatStopsDuringTheStallTheScheduleServesTheOldValue() {
        StallOutcome o = leaseReadAfterStall(List.of(SimBugs.CLOCK_STOPS_WHILE_STALLED));
        assertThat(o.answer()).as("the planted defect shows in this schedule").isEqualTo(o.oldValue());
    }

    private record StallOutcome(String oldValue, String answer) {}

    private static StallOutcome leaseReadAfterStall(List<String> bugs) {
        Simulation sim = Campaign.simulation(SimOptions.scripted(1, RaftConfig.defaults(), 100, 100, 100), bugs);
        sim.startScripted();
        sim.runUntil("leader", 100, () -> sim.leaderOf(ALL) != null);
        String old = sim.leaderOf(ALL);
        List<String> others = ALL.stream().filter(id -> !id.equals(old)).toList();
        Operation before = await(sim, workload(sim).issue(-1, old, Operation.Kind.PUT, null, "k0"));
        assertThat(before.outcome()).isEqualTo(Operation.Outcome.OK);
        Operation leaseRead = await(sim, workload(sim).issue(-1, old, Operation.Kind.READ, Operation.ReadMode.LEASE, "k0"));
        assertThat(leaseRead.readValue()).as("the lease holds before the stall").isEqualTo(before.value());

        sim.node(old).stall();
        sim.network().isolate(old);
        sim.runUntil("new leader among " + others, 200, () -> sim.leaderOf(others) != null);
        Operation after = await(sim, workload(sim).issue(-1, sim.leaderOf(others), Operation.Kind.PUT, null, "k0"));
        assertThat(after.outcome()).as("the new leader acknowledges a write").isEqualTo(Operation.Outcome.OK);

        sim.node(old).resume();
        Operation read = await(sim, workload(sim).issue(-1, old, Operation.Kind.READ, Operation.ReadMode.LEASE, "k0"));
        return new StallOutcome(before.value(), read.outcome() == Operation.Outcome.OK ? read.readValue() : "failed");
    }

    /**
     * The schedule of {@code PreVoteRefusalLeaseTest} (and {@code prevote_refusal_lease.txt}) on the
     * real runtime: a follower that answered the leader's heartbeat round adopts a higher term from a
     * late pre-vote refusal; a candidate then asks it for its vote while the leader's lease, which
     * counts on its refusal, still holds.
     */
    @Test
    void aFollowerThatAdoptsAHigherTermKeepsRefusingVotesWhileItsLeaseHolds() {
        PreVoteOutcome o = preVoteRefusal(List.of());
        assertThat(o.n3WonAtOnce()).as("n2 refused n3 its vote: it took n1's heartbeat less than an election timeout ago")
                .isFalse();
        assertThat(o.leaseRead()).as("n1's lease read after n3 committed (the old value is %s)", o.oldValue())
                .isNotEqualTo(o.oldValue());
    }

    @Test
    void withTheLeaseForgottenWithTheLeaderTheScheduleServesTheOldValue() {
        PreVoteOutcome o = preVoteRefusal(List.of("LEASE_FORGOTTEN_WITH_THE_LEADER"));
        assertThat(o.n3WonAtOnce()).as("the planted defect lets n3 win at once").isTrue();
        assertThat(o.leaseRead()).as("and n1 serves its lease read from before n3's write").isEqualTo(o.oldValue());
    }

    private static final String ABSENT = "(absent)";

    private record PreVoteOutcome(boolean n3WonAtOnce, String oldValue, String leaseRead) {}

    private static Predicate<Message> link(String from, String to) {
        return m -> m.from().equals(from) && m.to().equals(to);
    }

    private static boolean isVoteRequest(Message m, boolean preVote) {
        return m instanceof VoteRequest v && v.preVote() == preVote;
    }

    private static PreVoteOutcome preVoteRefusal(List<String> bugs) {
        Simulation sim = Campaign.simulation(SimOptions.scripted(2, RaftConfig.defaults(), 100, 100, 100), bugs);
        SimNetwork net = sim.network();
        sim.startScripted();

        // n2 pre-campaigns at term 0: its pre-vote request to n3 is delayed, the one to n1 lost.
        net.intercept(link("n2", "n3"), SimNetwork.Verdict.HOLD);
        net.intercept(link("n2", "n1"), SimNetwork.Verdict.DROP);
        sim.node("n2").act(RaftCore::campaign);

        // n1 wins term 1 with n3's vote; everything it sends n2 is late.
        net.stopIntercepting();
        net.intercept(link("n1", "n2"), SimNetwork.Verdict.HOLD);
        net.intercept(m -> m.from().equals("n2"), SimNetwork.Verdict.DROP);
        sim.node("n1").act(RaftCore::campaign);
        sim.runUntil("n1 leading n3", 50, () -> "n1".equals(sim.leaderOf(List.of("n1", "n3")))
                && sim.node("n1").core().commitIndex() >= 1);

        // n3 pre-campaigns; n2, a pre-candidate at term 0 that never heard from a leader, grants; n3's
        // vote requests of term 2 are lost, and so is everything between n1 and n3 from now on.
        net.stopIntercepting();
        net.intercept(link("n1", "n2"), SimNetwork.Verdict.HOLD);
        net.intercept(link("n1", "n3"), SimNetwork.Verdict.DROP);
        net.intercept(link("n3", "n1"), SimNetwork.Verdict.DROP);
        net.intercept(m -> isVoteRequest(m, false) && m.from().equals("n3"), SimNetwork.Verdict.DROP);
        net.intercept(link("n2", "n1"), SimNetwork.Verdict.DROP);
        sim.node("n3").act(RaftCore::campaign);
        sim.runUntil("n3 a candidate of term 2", 50, () -> sim.node("n3").core().role() == RaftRole.CANDIDATE
                && sim.node("n3").core().term() == 2);

        // n1's late messages reach n2, which follows n1 from now on and answers its heartbeat rounds: a
        // lease read on n1 shows the lease (k0 is still absent; n2's log stays as short as n3's).
        net.stopIntercepting();
        net.intercept(link("n1", "n3"), SimNetwork.Verdict.DROP);
        net.intercept(m -> m.from().equals("n3"), SimNetwork.Verdict.DROP);
        net.release(link("n1", "n2"));
        sim.runUntil("n2 following n1", 50, () -> "n1".equals(sim.leaderOf(List.of("n1", "n2"))));
        Operation lease = await(sim, workload(sim).issue(-1, "n1", Operation.Kind.READ, Operation.ReadMode.LEASE, "k0"));
        assertThat(lease.outcome()).isEqualTo(Operation.Outcome.OK);
        assertThat(lease.readValue()).isNull();

        // The delayed pre-vote request reaches n3 (term 2), which refuses it; n2 adopts term 2 from that.
        // n2 tells n1 nothing any more, and n1 still believes it leads, with its lease.
        net.stopIntercepting();
        net.intercept(link("n2", "n1"), SimNetwork.Verdict.DROP);
        net.intercept(link("n1", "n3"), SimNetwork.Verdict.DROP);
        net.intercept(link("n3", "n1"), SimNetwork.Verdict.DROP);
        net.release(link("n2", "n3"));
        sim.runUntil("n2 at term 2", 20, () -> sim.node("n2").core().term() == 2);

        // n3 campaigns again, in term 3; only n2 can answer.
        sim.node("n3").act(RaftCore::campaign);
        long electionTicks = RaftConfig.defaults().electionTicks();
        boolean wonAtOnce = runFor(sim, 2, () -> "n3".equals(sim.leaderOf(List.of("n2", "n3"))));
        // Once n2's promise has run out, n2 and n3 elect one of them (with the fix, not at once).
        sim.runUntil("a leader of n2 and n3", 30 * electionTicks, () -> sim.leaderOf(List.of("n2", "n3")) != null);
        Operation after = await(sim, workload(sim).issue(-1, sim.leaderOf(List.of("n2", "n3")), Operation.Kind.PUT,
                null, "k0"));
        assertThat(after.outcome()).isEqualTo(Operation.Outcome.OK);

        Operation read = await(sim, workload(sim).issue(-1, "n1", Operation.Kind.READ, Operation.ReadMode.LEASE, "k0"));
        return new PreVoteOutcome(wonAtOnce, ABSENT, read.outcome() != Operation.Outcome.OK ? "failed"
                : read.readValue() == null ? ABSENT : read.readValue());
    }

    /**
     * A leader hands leadership over and is cut off right after its TimeoutNow left: the target is
     * elected with votes that ignore the leader's lease, and acknowledges a write; the old leader, which
     * still believes it leads, gets a lease read. It must not answer from its lease.
     */
    @Test
    void aLeaderThatStartedATransferServesNoLeaseRead() {
        assertThat(leaseReadAfterTransfer(List.of())).isNotEqualTo("old");
    }

    @Test
    void withTheLeaseKeptDuringATransferTheScheduleServesTheOldValue() {
        assertThat(leaseReadAfterTransfer(List.of("LEASE_KEPT_DURING_TRANSFER"))).isEqualTo("old");
    }

    private static String leaseReadAfterTransfer(List<String> bugs) {
        Simulation sim = Campaign.simulation(SimOptions.scripted(3, RaftConfig.defaults(), 100, 100, 100), bugs);
        sim.startScripted();
        sim.runUntil("leader", 100, () -> sim.leaderOf(ALL) != null);
        String old = sim.leaderOf(ALL);
        String target = ALL.stream().filter(id -> !id.equals(old)).findFirst().orElseThrow();
        List<String> others = ALL.stream().filter(id -> !id.equals(old)).toList();
        Operation write = await(sim, workload(sim).issue(-1, old, Operation.Kind.PUT, null, "k0"));
        Operation lease = await(sim, workload(sim).issue(-1, old, Operation.Kind.READ, Operation.ReadMode.LEASE, "k0"));
        assertThat(lease.readValue()).isEqualTo(write.value());

        // Only the TimeoutNow leaves the old leader from now on, and nothing reaches it.
        sim.network().intercept(m -> m.to().equals(old), SimNetwork.Verdict.DROP);
        sim.network().intercept(m -> m.from().equals(old) && !(m instanceof TimeoutNow), SimNetwork.Verdict.DROP);
        sim.node(old).act(core -> core.transferLeadership(-1, target));
        sim.runUntil("the target leading", 50, () -> target.equals(sim.leaderOf(others)));
        Operation after = await(sim, workload(sim).issue(-1, target, Operation.Kind.PUT, null, "k0"));
        assertThat(after.outcome()).isEqualTo(Operation.Outcome.OK);
        assertThat(sim.node(old).core().role()).as("the old leader does not know").isEqualTo(RaftRole.LEADER);

        Operation read = await(sim, workload(sim).issue(-1, old, Operation.Kind.READ, Operation.ReadMode.LEASE, "k0"));
        if (read.outcome() != Operation.Outcome.OK) {
            return "failed";
        }
        return read.readValue().equals(write.value()) ? "old" : read.readValue();
    }

    /** Runs {@code ticks} nominal ticks, or until {@code condition} holds; returns whether it did. */
    private static boolean runFor(Simulation sim, long ticks, java.util.function.BooleanSupplier condition) {
        boolean[] held = new boolean[1];
        long until = sim.events().now() + ticks * SimOptions.TICK;
        sim.runUntil("time to pass", ticks + 1, () -> (held[0] = condition.getAsBoolean()) || sim.events().now() >= until);
        return held[0];
    }

    private static Operation await(Simulation sim, long opId) {
        assertThat(opId).as("the node took the request").isPositive();
        sim.runUntil("answer to op" + opId, 2_000, () -> workload(sim).outcome(opId) != null);
        return workload(sim).outcome(opId);
    }

    private static Workload workload(Simulation sim) {
        return (Workload) sim.application();
    }
}
