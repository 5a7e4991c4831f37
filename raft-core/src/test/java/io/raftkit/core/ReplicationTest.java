package io.raftkit.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.core.message.AppendRequest;
import io.raftkit.core.message.AppendResponse;
import io.raftkit.core.message.ForwardProposal;
import io.raftkit.core.message.Heartbeat;
import io.raftkit.core.message.HeartbeatResponse;
import io.raftkit.core.message.Message;
import io.raftkit.testkit.memory.InMemoryLogStorage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Log replication, log matching and commitment (Raft paper sections 5.3 and 5.4.2). */
class ReplicationTest {

    private static RaftCore follower(long term, long... entryTerms) {
        InMemoryLogStorage s = new InMemoryLogStorage();
        for (int i = 0; i < entryTerms.length; i++) {
            s.append(List.of(Entry.command(entryTerms[i], i + 1, ("x" + (i + 1)).getBytes())));
        }
        s.saveHardState(new HardState(term, null, 0));
        return new RaftCore("n2", Configuration.of("n1", "n2", "n3"), s, RaftConfig.defaults(), 2);
    }

    private static List<Message> allMessages(Ready r) {
        List<Message> out = new ArrayList<>(r.messages());
        out.addAll(r.messagesAfterPersist());
        return out;
    }

    @Test
    void aNewLeaderAppendsANoOpEntryOfItsTerm() {
        CoreCluster cl = new CoreCluster(3);
        cl.elect("n1");
        RaftCore leader = cl.core("n1");
        Entry last = leader.entries(leader.lastIndex(), leader.lastIndex() + 1).get(0);
        assertThat(last.type()).isEqualTo(EntryType.NOOP);
        assertThat(last.term()).isEqualTo(leader.term());
        for (String id : cl.ids) {
            assertThat(cl.log(id)).as(id).containsExactly(last);
            assertThat(cl.core(id).commitIndex()).isEqualTo(1);
        }
    }

    @Test
    void aCommandIsCommittedOnceAMajorityHoldsItAndThenAppliedEverywhereInOrder() {
        CoreCluster cl = new CoreCluster(3);
        cl.elect("n1");
        cl.propose("n1", "a");
        cl.propose("n1", "b");
        cl.stabilize();
        for (String id : cl.ids) {
            assertThat(cl.appliedCommands(id)).as(id).containsExactly("a", "b");
        }
        assertThat(cl.accepted.get("n1")).extracting(ProposalAccepted::index).containsExactly(2L, 3L);
    }

    @Test
    void theLeaderDoesNotCommitBeforeAMajorityAcknowledges() {
        CoreCluster cl = new CoreCluster(5);
        cl.elect("n1");
        cl.propose("n1", "a");
        cl.process("n1");
        long index = cl.core("n1").lastIndex();
        // Only n2 answers: with the leader that is 2 of 5.
        cl.deliverOnly(m -> m.to().equals("n2"));
        cl.process("n2");
        cl.deliverOnly(m -> m.from().equals("n2"));
        assertThat(cl.core("n1").commitIndex()).isLessThan(index);
        cl.tick(3); // heartbeat answers reveal the lost appends; the leader resends
        assertThat(cl.core("n1").commitIndex()).isEqualTo(index);
    }

    @Test
    void theLeaderCountsItselfTowardsAQuorumOnlyOnceItsOwnWriteIsDurable() {
        CoreCluster cl = new CoreCluster(3);
        cl.elect("n1");
        RaftCore leader = cl.core("n1");
        leader.propose(99, "a".getBytes());
        Ready r = leader.ready();
        cl.storages.get("n1").append(r.entries()); // submitted to storage, not yet reported durable
        long index = r.lastEntry().index();
        AppendRequest toN2 = (AppendRequest) r.messages().stream().filter(m -> m.to().equals("n2")).findFirst().get();
        assertThat(toN2.entries()).extracting(Entry::index).contains(index);
        cl.core("n2").step(toN2);
        for (Message m : allMessages(cl.core("n2").ready())) {
            leader.step(m);
        }
        // n2 and the leader hold it, but the leader's copy is not durable: 1 of 3 durable copies.
        assertThat(leader.commitIndex()).isLessThan(index);
        leader.persisted(index, r.lastEntry().term());
        assertThat(leader.commitIndex()).isEqualTo(index);
    }

    @Test
    void appendAcknowledgementsLeaveOnlyAfterTheEntriesAreDurable() {
        RaftCore f = follower(1);
        f.step(new AppendRequest("n1", "n2", 1, 0, 0, List.of(Entry.command(1, 1, "a".getBytes())), 0));
        Ready r = f.ready();
        assertThat(r.entries()).hasSize(1);
        assertThat(r.mustSync()).isTrue();
        assertThat(r.messages()).isEmpty();
        assertThat(r.messagesAfterPersist()).containsExactly(AppendResponse.success("n2", "n1", 1, 1));
    }

    @Test
    void aFollowerRejectsAnAppendWhosePreviousEntryDoesNotMatchAndHintsTheConflictingTerm() {
        RaftCore f = follower(3, 1, 1, 2, 2, 2);
        f.step(new AppendRequest("n1", "n2", 3, 5, 3, List.of(), 0));
        assertThat(f.ready().messages()).containsExactly(AppendResponse.reject("n2", "n1", 3, 5, 2, 3));
    }

    @Test
    void aFollowerWhoseLogIsTooShortHintsItsLength() {
        RaftCore f = follower(3, 1, 1);
        f.step(new AppendRequest("n1", "n2", 3, 7, 3, List.of(), 0));
        assertThat(f.ready().messages()).containsExactly(AppendResponse.reject("n2", "n1", 3, 7, 0, 3));
    }

    @Test
    void aFollowerReplacesAConflictingSuffixWithTheLeadersEntries() {
        RaftCore f = follower(3, 1, 1, 2, 2);
        f.step(new AppendRequest("n1", "n2", 3, 2, 1,
                List.of(Entry.command(3, 3, "c".getBytes()), Entry.command(3, 4, "d".getBytes())), 2));
        Ready r = f.ready();
        assertThat(r.entries()).extracting(Entry::index, Entry::term)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(3L, 3L), org.assertj.core.groups.Tuple.tuple(4L, 3L));
        assertThat(f.lastIndex()).isEqualTo(4);
        assertThat(f.termAt(3)).isEqualTo(3);
        assertThat(f.commitIndex()).isEqualTo(2);
    }

    @Test
    void aFollowerKeepsEntriesBeyondAStaleShorterAppendThatMatches() {
        RaftCore f = follower(1, 1, 1, 1, 1);
        f.step(new AppendRequest("n1", "n2", 1, 1, 1, List.of(Entry.command(1, 2, "x2".getBytes())), 0));
        Ready r = f.ready();
        assertThat(r.entries()).isEmpty();
        assertThat(f.lastIndex()).isEqualTo(4);
        assertThat(r.messagesAfterPersist()).containsExactly(AppendResponse.success("n2", "n1", 1, 2));
    }

    @Test
    void aFollowerCommitsNoFurtherThanTheEntriesTheAppendVerified() {
        RaftCore f = follower(1, 1, 1, 1, 1);
        f.step(new AppendRequest("n1", "n2", 1, 1, 1, List.of(), 4));
        assertThat(f.commitIndex()).isEqualTo(1);
    }

    @Test
    void heartbeatsCarryTheCommitIndexCappedAtWhatTheFollowerHoldsAndFollowersAnswerThem() {
        CoreCluster cl = new CoreCluster(3);
        cl.elect("n1");
        cl.propose("n1", "a");
        cl.stabilize();
        cl.isolate("n3");
        cl.propose("n1", "b");
        cl.stabilize();
        cl.heal();
        cl.core("n1").tick();
        Ready r = cl.process("n1");
        Heartbeat toN3 = (Heartbeat) r.messages().stream()
                .filter(m -> m instanceof Heartbeat && m.to().equals("n3")).findFirst().get();
        assertThat(toN3.commitIndex()).isEqualTo(2);
        assertThat(cl.core("n1").commitIndex()).isEqualTo(3);
        cl.deliverOnly(m -> m == toN3);
        assertThat(cl.core("n3").ready().messages()).contains(new HeartbeatResponse("n3", "n1", toN3.term(), toN3.readRound()));
    }

    @Test
    void followersLearnTheCommitIndexFromTheLeader() {
        CoreCluster cl = new CoreCluster(3);
        cl.elect("n1");
        cl.propose("n1", "a");
        cl.stabilize();
        for (String id : cl.ids) {
            assertThat(cl.core(id).commitIndex()).as(id).isEqualTo(2);
        }
    }

    @Test
    void proposalsMadeTogetherTravelInOneAppendPerFollower() {
        CoreCluster cl = new CoreCluster(3);
        cl.elect("n1");
        for (int i = 0; i < 100; i++) {
            cl.propose("n1", "c" + i);
        }
        Ready r = cl.process("n1");
        List<Message> appends = r.messages().stream().filter(m -> m instanceof AppendRequest a && !a.entries().isEmpty()).toList();
        assertThat(appends).hasSize(2);
        assertThat(((AppendRequest) appends.get(0)).entries()).hasSize(100);
        assertThat(r.entries()).hasSize(100);
    }

    @Test
    void pipeliningIsBoundedByTheInflightWindow() {
        RaftConfig config = RaftConfig.builder().maxInflightMessages(3).build();
        CoreCluster cl = new CoreCluster(3, config);
        cl.elect("n1");
        cl.cut("n2", "n1");
        cl.cut("n3", "n1");
        for (int i = 0; i < 10; i++) {
            cl.propose("n1", "c" + i);
            cl.stabilize();
        }
        long appendsToN2 = cl.sent.stream()
                .filter(m -> m instanceof AppendRequest a && a.to().equals("n2") && !a.entries().isEmpty()
                        && a.entries().get(0).type() == EntryType.COMMAND).count();
        assertThat(appendsToN2).isEqualTo(3);
        cl.heal();
        cl.tick(3);
        assertThat(cl.appliedCommands("n2")).hasSize(10);
    }

    @Test
    void aFollowerInProbeStateGetsOneAppendAtATime() {
        CoreCluster cl = new CoreCluster(3);
        cl.isolate("n3");
        cl.elect("n1"); // a new leader knows nothing of n3's log: it probes
        for (int i = 0; i < 5; i++) {
            cl.propose("n1", "c" + i);
            cl.stabilize();
        }
        long toN3 = cl.sent.stream().filter(m -> m instanceof AppendRequest && m.to().equals("n3")).count();
        assertThat(toN3).isEqualTo(1); // paused: the probe was never answered
        assertThat(cl.core("n1").progressOf("n3")).startsWith("PROBE").contains("paused");
        long toN2 = cl.sent.stream().filter(m -> m instanceof AppendRequest && m.to().equals("n2")).count();
        assertThat(toN2).isGreaterThan(5);
        cl.heal();
        cl.tick(2);
        assertThat(cl.appliedCommands("n3")).hasSize(5);
    }

    @Test
    void fastBacktrackingNeedsRoundTripsProportionalToDivergentTermsNotEntries() {
        // Both hold 10 entries of term 1; then the leader (and n3) hold 310 more of term 1 while n2 holds
        // 300 of terms 2, 3 and 4 that no one else has.
        CoreCluster cl = new CoreCluster(3, RaftConfig.builder().preVote(false).build());
        for (int i = 1; i <= 320; i++) {
            cl.storages.get("n1").append(List.of(Entry.command(1, i, new byte[0])));
            cl.storages.get("n3").append(List.of(Entry.command(1, i, new byte[0])));
        }
        for (int i = 1; i <= 310; i++) {
            long term = i <= 10 ? 1 : 2 + (i - 11) / 100;
            cl.storages.get("n2").append(List.of(Entry.command(term, i, new byte[0])));
        }
        for (String id : cl.ids) {
            cl.storages.get(id).saveHardState(new HardState(4, null, 0));
            cl.restart(id);
        }
        cl.passRestartLeases();
        cl.cut("n2", "n1");
        cl.core("n1").campaign();
        cl.stabilize();
        assertThat(cl.leader()).isEqualTo("n1");
        cl.heal();
        int before = cl.sent.size();
        cl.tick(2);
        long rejections = cl.sent.subList(before, cl.sent.size()).stream()
                .filter(m -> m instanceof AppendResponse r && !r.success() && r.from().equals("n2")).count();
        // One for n2's shorter log, then one per divergent term (4, 3, 2): not one per entry.
        assertThat(rejections).isEqualTo(4);
        assertThat(cl.log("n2")).isEqualTo(cl.log("n1"));
    }

    @Test
    void aProposalOnAFollowerIsForwardedToTheLeaderAndAcceptedThere() {
        CoreCluster cl = new CoreCluster(3);
        cl.elect("n1");
        long req = cl.propose("n2", "via-follower");
        Ready r = cl.process("n2");
        assertThat(r.messages()).singleElement().isInstanceOf(ForwardProposal.class);
        cl.stabilize();
        assertThat(cl.accepted.get("n2")).singleElement().satisfies(a -> {
            assertThat(a.requestId()).isEqualTo(req);
            assertThat(a.index()).isEqualTo(2);
        });
        for (String id : cl.ids) {
            assertThat(cl.appliedCommands(id)).containsExactly("via-follower");
        }
    }

    @Test
    void aProposalWithNoKnownLeaderIsRejected() {
        CoreCluster cl = new CoreCluster(3);
        long req = cl.propose("n2", "nowhere");
        cl.process("n2");
        assertThat(cl.rejected.get("n2")).containsExactly(new RequestRejected(req, RequestRejected.Reason.NO_LEADER));
    }

    @Test
    void aDuplicatedForwardedProposalIsAppendedOnce() {
        CoreCluster cl = new CoreCluster(3);
        cl.elect("n1");
        cl.propose("n2", "once");
        ForwardProposal fp = (ForwardProposal) cl.process("n2").messages().get(0);
        cl.queue.clear();
        cl.deliver(fp);
        cl.deliver(fp);
        cl.stabilize();
        assertThat(cl.appliedCommands("n1")).containsExactly("once");
    }

    @Test
    void pendingForwardedProposalsFailAsLeaderChangedWhenTheLeaderChanges() {
        CoreCluster cl = new CoreCluster(3);
        cl.elect("n1");
        long req = cl.propose("n2", "lost");
        cl.process("n2");
        cl.queue.clear(); // the forward is lost
        cl.core("n2").step(new Heartbeat("n3", "n2", cl.core("n2").term() + 1, 0, 0));
        cl.process("n2");
        assertThat(cl.rejected.get("n2")).containsExactly(new RequestRejected(req, RequestRejected.Reason.LEADER_CHANGED));
    }

    @Test
    void aNewLeaderRepairsTheLogsOfFollowersAfterFailover() {
        CoreCluster cl = new CoreCluster(5);
        cl.elect("n1");
        cl.propose("n1", "a");
        cl.stabilize();
        cl.isolate("n1");
        cl.propose("n1", "orphan"); // never reaches a majority
        cl.stabilize();
        for (int i = 0; i < 100 && (cl.leader() == null || cl.leader().equals("n1")); i++) {
            cl.tick();
        }
        String newLeader = cl.leader();
        assertThat(newLeader).isNotEqualTo("n1");
        cl.propose(newLeader, "b");
        cl.stabilize();
        cl.heal();
        cl.tick(30);
        for (String id : cl.ids) {
            assertThat(cl.appliedCommands(id)).as(id).containsExactly("a", "b");
            assertThat(cl.log(id)).as(id).isEqualTo(cl.log(newLeader));
        }
    }

    @Test
    void afterTheLeaderCompactsItsLogFollowersKeepReplicatingAndALaggingOneNeedsASnapshot() {
        // The leader's own transfer: with snapshots from followers, it would first ask n2.
        CoreCluster cl = new CoreCluster(3, RaftConfig.builder().snapshotsFromFollowers(false).build());
        cl.elect("n1");
        cl.isolate("n3");
        for (int i = 0; i < 10; i++) {
            cl.propose("n1", "c" + i);
        }
        cl.stabilize();
        RaftCore leader = cl.core("n1");
        long applied = leader.appliedIndex();
        cl.storages.get("n1").compact(new SnapshotMeta(applied, leader.termAt(applied), cl.configuration()));
        assertThat(leader.termAt(applied)).as("term at the compaction boundary").isEqualTo(leader.term());
        cl.propose("n1", "after");
        cl.stabilize();
        assertThat(cl.appliedCommands("n2")).endsWith("after");
        assertThat(cl.sent).noneMatch(m -> m.to().equals("n2") && m instanceof io.raftkit.core.message.InstallSnapshot);
        cl.heal();
        cl.tick(2);
        assertThat(cl.snapshotsToSend.get("n1")).contains("n3");
        assertThat(leader.progressOf("n3")).startsWith("SNAPSHOT");
    }
}
