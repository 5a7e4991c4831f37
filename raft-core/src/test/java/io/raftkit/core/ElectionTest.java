package io.raftkit.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.core.message.AppendRequest;
import io.raftkit.core.message.AppendResponse;
import io.raftkit.core.message.Heartbeat;
import io.raftkit.core.message.Message;
import io.raftkit.core.message.VoteRequest;
import io.raftkit.core.message.VoteResponse;
import io.raftkit.testkit.memory.InMemoryLogStorage;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Terms, roles, elections and every role transition (Raft paper sections 5.1, 5.2 and 5.4.1). */
class ElectionTest {

    private static final RaftConfig NO_PREVOTE = RaftConfig.builder().preVote(false).build();
    private static final RaftConfig NO_PREVOTE_NO_CQ = RaftConfig.builder().preVote(false).checkQuorum(false).build();

    private static RaftCore single(String id, RaftConfig config, String... voters) {
        return new RaftCore(id, Configuration.of(voters), new InMemoryLogStorage(), config, 1);
    }

    private static RaftCore coreWithLog(String id, RaftConfig config, long term, long... entryTerms) {
        InMemoryLogStorage s = new InMemoryLogStorage();
        for (int i = 0; i < entryTerms.length; i++) {
            s.append(List.of(Entry.command(entryTerms[i], i + 1, new byte[0])));
        }
        s.saveHardState(new HardState(term, null, 0));
        RaftCore c = new RaftCore(id, Configuration.of("n1", "n2", "n3"), s, config, 1);
        tickPastRestartLease(c);
        return c;
    }

    private static void tickPastRestartLease(RaftCore c) {
        // A restarted node honours a possible lease for T ticks; keep it from campaigning meanwhile.
        for (int i = 0; i < c.config.electionTicks(); i++) {
            c.timer.restartCount();
            c.forgetLeaderContact();
        }
    }

    @Test
    void aNewNodeStartsAsFollowerAtTermZero() {
        RaftCore c = single("n1", RaftConfig.defaults(), "n1", "n2", "n3");
        assertThat(c.role()).isEqualTo(RaftRole.FOLLOWER);
        assertThat(c.term()).isZero();
        assertThat(c.leader()).isNull();
    }

    @Test
    void followerBecomesCandidateWithTermPlusOneWhenNoHeartbeatArrivesWithinTheElectionTimeout() {
        RaftCore c = single("n1", NO_PREVOTE, "n1", "n2", "n3");
        int ticks = 0;
        while (c.role() == RaftRole.FOLLOWER) {
            c.tick();
            ticks++;
        }
        assertThat(c.role()).isEqualTo(RaftRole.CANDIDATE);
        assertThat(c.term()).isEqualTo(1);
        assertThat(c.votedFor()).isEqualTo("n1");
        assertThat(ticks).isBetween(10, 19);
    }

    @Test
    void electionTimeoutsAreRandomizedWithinTAndTwiceT() {
        Set<Integer> seen = new HashSet<>();
        for (long seed = 0; seed < 200; seed++) {
            RaftCore c = new RaftCore("n1", Configuration.of("n1", "n2", "n3"), new InMemoryLogStorage(), NO_PREVOTE, seed);
            int ticks = 0;
            while (c.role() == RaftRole.FOLLOWER) {
                c.tick();
                ticks++;
            }
            assertThat(ticks).isBetween(10, 19);
            seen.add(ticks);
        }
        assertThat(seen).hasSizeGreaterThan(5);
    }

    @Test
    void candidateVotesForItselfAndAsksEveryPeerOnlyAfterTermAndVoteAreDurable() {
        RaftCore c = single("n1", NO_PREVOTE, "n1", "n2", "n3");
        c.campaign();
        Ready r = c.ready();
        assertThat(r.hardState()).isEqualTo(new HardState(1, "n1", 0));
        assertThat(r.mustSync()).isTrue();
        assertThat(r.messages()).isEmpty();
        assertThat(r.messagesAfterPersist()).containsExactlyInAnyOrder(
                new VoteRequest("n1", "n2", 1, 0, 0, false),
                new VoteRequest("n1", "n3", 1, 0, 0, false));
    }

    @Test
    void candidateBecomesLeaderOnAMajorityOfVotes() {
        RaftCore c = single("n1", NO_PREVOTE, "n1", "n2", "n3", "n4", "n5");
        c.campaign();
        c.ready();
        c.step(new VoteResponse("n2", "n1", 1, true, false));
        assertThat(c.role()).isEqualTo(RaftRole.CANDIDATE);
        c.step(new VoteResponse("n3", "n1", 1, true, false));
        assertThat(c.role()).isEqualTo(RaftRole.LEADER);
        assertThat(c.leader()).isEqualTo("n1");
    }

    @Test
    void aSingleNodeGroupElectsItselfAtOnce() {
        RaftCore c = single("n1", RaftConfig.defaults(), "n1");
        c.campaign();
        assertThat(c.role()).isEqualTo(RaftRole.LEADER);
        assertThat(c.term()).isEqualTo(1);
    }

    @Test
    void candidateBecomesFollowerWhenAMajorityRejects() {
        RaftCore c = single("n1", NO_PREVOTE, "n1", "n2", "n3");
        c.campaign();
        c.ready();
        c.step(new VoteResponse("n2", "n1", 1, false, false));
        assertThat(c.role()).isEqualTo(RaftRole.CANDIDATE);
        c.step(new VoteResponse("n3", "n1", 1, false, false));
        assertThat(c.role()).isEqualTo(RaftRole.FOLLOWER);
        assertThat(c.term()).isEqualTo(1);
    }

    @Test
    void candidateStartsANewElectionWithTermPlusOneWhenItsElectionTimesOutUndecided() {
        RaftCore c = single("n1", NO_PREVOTE, "n1", "n2", "n3");
        c.campaign();
        assertThat(c.term()).isEqualTo(1);
        for (int i = 0; i < 20 && c.term() == 1; i++) {
            c.tick();
        }
        assertThat(c.role()).isEqualTo(RaftRole.CANDIDATE);
        assertThat(c.term()).isEqualTo(2);
        assertThat(c.votedFor()).isEqualTo("n1");
        List<Message> sent = c.ready().messagesAfterPersist();
        assertThat(sent).contains(new VoteRequest("n1", "n2", 2, 0, 0, false));
    }

    @Test
    void candidateBecomesFollowerWhenItHearsFromALeaderOfItsTerm() {
        RaftCore c = single("n1", NO_PREVOTE, "n1", "n2", "n3");
        c.campaign();
        c.step(new Heartbeat("n2", "n1", 1, 0, 0));
        assertThat(c.role()).isEqualTo(RaftRole.FOLLOWER);
        assertThat(c.term()).isEqualTo(1);
        assertThat(c.leader()).isEqualTo("n2");
    }

    @Test
    void candidateBecomesFollowerWhenItHearsFromALeaderOfAHigherTerm() {
        RaftCore c = single("n1", NO_PREVOTE, "n1", "n2", "n3");
        c.campaign();
        c.step(new AppendRequest("n3", "n1", 5, 0, 0, List.of(), 0));
        assertThat(c.role()).isEqualTo(RaftRole.FOLLOWER);
        assertThat(c.term()).isEqualTo(5);
        assertThat(c.leader()).isEqualTo("n3");
    }

    @Test
    void leaderStepsDownOnAHigherTermInAResponse() {
        CoreCluster cl = new CoreCluster(3, NO_PREVOTE);
        cl.elect("n1");
        RaftCore leader = cl.core("n1");
        leader.step(AppendResponse.reject("n2", "n1", 7, 0, 0, 0));
        assertThat(leader.role()).isEqualTo(RaftRole.FOLLOWER);
        assertThat(leader.term()).isEqualTo(7);
        assertThat(leader.votedFor()).isNull();
    }

    @Test
    void leaderStepsDownOnAppendFromANewLeaderOfAHigherTerm() {
        CoreCluster cl = new CoreCluster(3, NO_PREVOTE);
        cl.elect("n1");
        RaftCore leader = cl.core("n1");
        leader.step(new Heartbeat("n2", "n1", 3, 0, 0));
        assertThat(leader.role()).isEqualTo(RaftRole.FOLLOWER);
        assertThat(leader.leader()).isEqualTo("n2");
    }

    @Test
    void leaderStepsDownOnAVoteRequestOfAHigherTermWithoutCheckQuorum() {
        CoreCluster cl = new CoreCluster(3, NO_PREVOTE_NO_CQ);
        cl.elect("n1");
        RaftCore leader = cl.core("n1");
        leader.step(new VoteRequest("n2", "n1", 5, 0, 0, false));
        assertThat(leader.role()).isEqualTo(RaftRole.FOLLOWER);
        assertThat(leader.term()).isEqualTo(5);
    }

    @Test
    void leaderWithCheckQuorumIgnoresAVoteRequestWhileItHoldsItsLease() {
        CoreCluster cl = new CoreCluster(3, NO_PREVOTE);
        cl.elect("n1");
        RaftCore leader = cl.core("n1");
        long term = leader.term();
        leader.step(new VoteRequest("n2", "n1", term + 1, 100, term + 1, false));
        assertThat(leader.role()).isEqualTo(RaftRole.LEADER);
        assertThat(leader.term()).isEqualTo(term);
    }

    @Test
    void aVoteIsGrantedAtMostOncePerTerm() {
        RaftCore c = single("n1", NO_PREVOTE, "n1", "n2", "n3");
        c.step(new VoteRequest("n2", "n1", 1, 0, 0, false));
        c.step(new VoteRequest("n3", "n1", 1, 0, 0, false));
        c.step(new VoteRequest("n2", "n1", 1, 0, 0, false)); // a retransmission is granted again
        List<Message> out = c.ready().messagesAfterPersist();
        assertThat(out).containsExactly(
                new VoteResponse("n1", "n2", 1, true, false),
                new VoteResponse("n1", "n3", 1, false, false),
                new VoteResponse("n1", "n2", 1, true, false));
        assertThat(c.votedFor()).isEqualTo("n2");
    }

    @Test
    void aVoteIsSentOnlyAfterTheVoteIsDurable() {
        RaftCore c = single("n1", NO_PREVOTE, "n1", "n2", "n3");
        c.step(new VoteRequest("n2", "n1", 1, 0, 0, false));
        Ready r = c.ready();
        assertThat(r.hardState()).isEqualTo(new HardState(1, "n2", 0));
        assertThat(r.mustSync()).isTrue();
        assertThat(r.messages()).isEmpty();
        assertThat(r.messagesAfterPersist()).containsExactly(new VoteResponse("n1", "n2", 1, true, false));
    }

    @Test
    void aVoteIsRefusedToACandidateWhoseLastTermIsOlder() {
        RaftCore c = coreWithLog("n1", NO_PREVOTE, 3, 1, 3);
        c.step(new VoteRequest("n2", "n1", 4, 5, 2, false));
        assertThat(c.ready().messagesAfterPersist()).containsExactly(new VoteResponse("n1", "n2", 4, false, false));
        assertThat(c.votedFor()).isNull();
    }

    @Test
    void aVoteIsRefusedToACandidateWithTheSameLastTermButAShorterLog() {
        RaftCore c = coreWithLog("n1", NO_PREVOTE, 3, 1, 3, 3);
        c.step(new VoteRequest("n2", "n1", 4, 2, 3, false));
        assertThat(c.ready().messagesAfterPersist()).containsExactly(new VoteResponse("n1", "n2", 4, false, false));
    }

    @Test
    void aVoteIsGrantedToACandidateWhoseLogIsAtLeastAsUpToDate() {
        RaftCore c = coreWithLog("n1", NO_PREVOTE, 3, 1, 3, 3);
        c.step(new VoteRequest("n2", "n1", 4, 3, 3, false));
        RaftCore d = coreWithLog("n1", NO_PREVOTE, 3, 1, 3, 3);
        d.step(new VoteRequest("n2", "n1", 4, 1, 4, false));
        assertThat(c.ready().messagesAfterPersist()).containsExactly(new VoteResponse("n1", "n2", 4, true, false));
        assertThat(d.ready().messagesAfterPersist()).containsExactly(new VoteResponse("n1", "n2", 4, true, false));
    }

    @Test
    void aMessageFromAnOlderTermIsIgnoredButAStaleLeaderLearnsTheNewerTerm() {
        RaftCore c = coreWithLog("n1", NO_PREVOTE, 5);
        c.step(new VoteResponse("n2", "n1", 3, true, false));
        c.step(new Heartbeat("n2", "n1", 3, 0, 0));
        assertThat(c.term()).isEqualTo(5);
        assertThat(c.leader()).isNull();
        assertThat(c.ready().messages()).containsExactly(AppendResponse.reject("n1", "n2", 5, 0, 0, 0));
    }

    @Test
    void preVoteLetsANodeAskWithoutChangingAnyTerm() {
        RaftCore c = single("n1", RaftConfig.defaults(), "n1", "n2", "n3");
        c.campaign();
        assertThat(c.role()).isEqualTo(RaftRole.PRE_CANDIDATE);
        assertThat(c.term()).isZero();
        Ready r = c.ready();
        assertThat(r.hardState()).isNull();
        assertThat(r.messages()).containsExactlyInAnyOrder(
                new VoteRequest("n1", "n2", 1, 0, 0, true), new VoteRequest("n1", "n3", 1, 0, 0, true));

        RaftCore voter = single("n2", RaftConfig.defaults(), "n1", "n2", "n3");
        voter.step(new VoteRequest("n1", "n2", 1, 0, 0, true));
        assertThat(voter.term()).isZero();
        assertThat(voter.votedFor()).isNull();
        assertThat(voter.ready().messages()).containsExactly(new VoteResponse("n2", "n1", 1, true, true));

        c.step(new VoteResponse("n2", "n1", 1, true, true));
        assertThat(c.role()).isEqualTo(RaftRole.CANDIDATE);
        assertThat(c.term()).isEqualTo(1);
    }

    @Test
    void preVoteKeepsAnIsolatedNodeFromRaisingItsTermAndDisruptingTheLeaderWhenItReturns() {
        CoreCluster cl = new CoreCluster(3);
        cl.elect("n1");
        long term = cl.core("n1").term();
        cl.isolate("n3");
        cl.tick(100);
        assertThat(cl.core("n3").term()).isEqualTo(term);
        assertThat(cl.core("n3").role()).isEqualTo(RaftRole.PRE_CANDIDATE);
        cl.heal();
        cl.tick(5);
        assertThat(cl.leader()).isEqualTo("n1");
        assertThat(cl.core("n1").term()).isEqualTo(term);
        assertThat(cl.core("n3").role()).isEqualTo(RaftRole.FOLLOWER);
        assertThat(cl.core("n3").leader()).isEqualTo("n1");
    }

    @Test
    void withoutPreVoteAReturningIsolatedNodeForcesANewTerm() {
        CoreCluster cl = new CoreCluster(3, NO_PREVOTE_NO_CQ);
        cl.elect("n1");
        long term = cl.core("n1").term();
        cl.isolate("n3");
        cl.tick(100);
        assertThat(cl.core("n3").term()).isGreaterThan(term + 2);
        cl.heal();
        cl.tick(50);
        assertThat(cl.leader()).isNotNull();
        assertThat(cl.core(cl.leader()).term()).isGreaterThan(term);
    }

    @Test
    void preCandidateBecomesFollowerWhenAMajorityRejects() {
        RaftCore c = single("n1", RaftConfig.defaults(), "n1", "n2", "n3");
        c.campaign();
        c.step(new VoteResponse("n2", "n1", 0, false, true));
        c.step(new VoteResponse("n3", "n1", 0, false, true));
        assertThat(c.role()).isEqualTo(RaftRole.FOLLOWER);
        assertThat(c.term()).isZero();
    }

    @Test
    void checkQuorumMakesALeaderStepDownWhenItHearsFromNoMajority() {
        CoreCluster cl = new CoreCluster(3);
        cl.elect("n1");
        cl.isolate("n1");
        for (int i = 0; i < 2 * cl.config.electionTicks() + 1; i++) {
            cl.core("n1").tick();
            cl.process("n1");
        }
        assertThat(cl.core("n1").role()).isEqualTo(RaftRole.FOLLOWER);
    }

    @Test
    void aFollowerThatHeardFromALeaderRecentlyIgnoresVoteRequests() {
        CoreCluster cl = new CoreCluster(3);
        cl.elect("n1");
        long term = cl.core("n2").term();
        cl.core("n2").step(new VoteRequest("n3", "n2", term + 1, 100, term, false));
        cl.core("n2").step(new VoteRequest("n3", "n2", term + 1, 100, term, true));
        assertThat(cl.core("n2").term()).isEqualTo(term);
        assertThat(cl.core("n2").ready().messagesAfterPersist()).isEmpty();
    }

    @Test
    void aRestartedFollowerHonoursAPossibleLeaseForOneElectionTimeout() {
        CoreCluster cl = new CoreCluster(3);
        cl.elect("n1");
        long term = cl.core("n2").term();
        cl.crash("n2");
        cl.restart("n2");
        RaftCore n2 = cl.core("n2");
        n2.step(new VoteRequest("n3", "n2", term + 1, 100, term, false));
        assertThat(n2.term()).isEqualTo(term);
        for (int i = 0; i < cl.config.electionTicks(); i++) {
            n2.timer.restartCount();
        }
        n2.forgetLeaderContact();
        n2.step(new VoteRequest("n3", "n2", term + 1, 100, term, false));
        assertThat(n2.term()).isEqualTo(term + 1);
        assertThat(n2.votedFor()).isEqualTo("n3");
    }

    @Test
    void atMostOneLeaderIsElectedPerTermEvenWhenAllCampaignAtOnce() {
        for (int seedRound = 0; seedRound < 20; seedRound++) {
            CoreCluster cl = new CoreCluster(5, NO_PREVOTE, seedRound);
            for (String id : cl.ids) {
                cl.core(id).campaign();
            }
            cl.stabilize();
            java.util.Map<Long, String> leaders = new java.util.HashMap<>();
            for (int t = 0; t < 200 && cl.leader() == null; t++) {
                cl.tick();
            }
            for (String id : cl.ids) {
                RaftCore c = cl.core(id);
                if (c.role() == RaftRole.LEADER) {
                    assertThat(leaders.put(c.term(), id)).as("second leader in term %d", c.term()).isNull();
                }
            }
            assertThat(cl.leader()).isNotNull();
        }
    }
}
