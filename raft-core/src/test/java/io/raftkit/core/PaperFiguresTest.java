package io.raftkit.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.core.message.AppendRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scenarios of Figures 7 and 8 of the Raft paper, end to end through real cores. */
class PaperFiguresTest {

    private static final RaftConfig NO_PREVOTE = RaftConfig.builder().preVote(false).build();

    /**
     * Figure 7: a leader of term 8 meets followers (a)-(f) with missing, extra and conflicting entries.
     * After it replicates, every follower's log equals the leader's.
     */
    @Test
    void figure7TheLeaderBringsEveryFollowerLogInLineWithItsOwn() {
        CoreCluster cl = new CoreCluster(7, NO_PREVOTE);
        cl.seedLog("n1", 7, 1, 1, 1, 4, 4, 5, 5, 6, 6, 6);        // the leader
        cl.seedLog("n2", 7, 1, 1, 1, 4, 4, 5, 5, 6, 6);           // (a) missing one entry
        cl.seedLog("n3", 7, 1, 1, 1, 4);                          // (b) missing many
        cl.seedLog("n4", 7, 1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6);     // (c) one extra entry
        cl.seedLog("n5", 7, 1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7);  // (d) extra entries of a later term
        cl.seedLog("n6", 7, 1, 1, 1, 4, 4, 4, 4);                 // (e) missing and conflicting
        cl.seedLog("n7", 7, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3);     // (f) a long conflicting suffix
        cl.elect("n1");
        assertThat(cl.core("n1").term()).isEqualTo(8);
        cl.tick(3);
        List<Entry> leaderLog = cl.log("n1");
        assertThat(leaderLog).hasSize(11);
        assertThat(leaderLog.get(10).type()).isEqualTo(EntryType.NOOP);
        for (String id : cl.ids) {
            assertThat(cl.log(id)).as("log of %s", id).isEqualTo(leaderLog);
            assertThat(cl.core(id).commitIndex()).as("commit of %s", id).isEqualTo(11);
        }
    }

    /**
     * Figure 8: S1, leader of term 4, has replicated the term-2 entry at index 2 to a majority, but must
     * not commit it by counting replicas: S5 could still be elected and overwrite it. The entry becomes
     * committed only through an entry of the leader's own term.
     */
    @Test
    void figure8ALeaderDoesNotCommitAnEntryOfAnEarlierTermByCountingReplicas() {
        Figure8 f = new Figure8(false);
        assertThat(f.s1CommitWhileHeldByMajority).isLessThan(2);
        f.s5TakesOver();
        f.assertAppliedEntriesAgreeWithTheFinalLog();
    }

    @Test
    void figure8WithTheRulePlantedAwayAnAppliedEntryIsLaterOverwritten() {
        Figure8 f = new Figure8(true);
        assertThat(f.s1CommitWhileHeldByMajority).isEqualTo(2);
        f.s5TakesOver();
        Entry appliedByS1 = f.cl.applied.get("n1").stream().filter(e -> e.index() == 2).findFirst().orElseThrow();
        Entry finalEntry = f.cl.log("n5").get(1);
        assertThat(appliedByS1).as("S1 applied the term-2 entry, which S5 then overwrote").isNotEqualTo(finalEntry);
    }

    /** The schedule of Figure 8, steps (a)-(d), with S1..S5 as n1..n5. */
    private static final class Figure8 {
        final CoreCluster cl = new CoreCluster(5,
                RaftConfig.builder().preVote(false).checkQuorum(false).maxAppendBytes(1).build()); // the paper's algorithm
        final long s1CommitWhileHeldByMajority;

        Figure8(boolean plantBug) {
            // (a)-(b): S1 led term 2 and wrote index 2; S5 led term 3 and wrote its own index 2.
            cl.seedLog("n1", 3, 1, 2);
            cl.seedLog("n2", 3, 1);
            cl.seedLog("n3", 3, 1);
            cl.seedLog("n4", 3, 1);
            cl.seedLog("n5", 3, 1, 3);
            if (plantBug) {
                Bugs.plant(cl.core("n1"), "COMMIT_OLD_TERM_BY_COUNTING");
            }
            // (c): S1 is elected for term 4 and replicates index 2 to S2 and S3, so a majority holds
            // it, but its own index 3 (the term-4 no-op) reaches nobody yet.
            cl.isolate("n4");
            cl.isolate("n5");
            cl.core("n1").campaign();
            cl.stabilizeDropping(m -> m instanceof AppendRequest a
                    && a.entries().stream().anyMatch(e -> e.index() >= 3)
                    && cl.core(a.to()).termAt(2) == 2); // would be accepted: lose it
            assertThat(cl.core("n1").role()).isEqualTo(RaftRole.LEADER);
            assertThat(cl.core("n1").term()).isEqualTo(4);
            for (String id : List.of("n1", "n2", "n3")) {
                assertThat(cl.core(id).termAt(2)).as("%s holds the term-2 entry", id).isEqualTo(2);
            }
            s1CommitWhileHeldByMajority = cl.core("n1").commitIndex();
        }

        /** (d): S1 crashes; S5 is elected with votes from S2, S3 and S4 and overwrites index 2. */
        void s5TakesOver() {
            cl.crash("n1");
            cl.heal();
            cl.core("n5").campaign();
            cl.stabilize();
            for (int i = 0; i < 100 && cl.core("n5").role() != RaftRole.LEADER; i++) {
                cl.core("n5").campaign();
                cl.stabilize();
            }
            assertThat(cl.core("n5").role()).isEqualTo(RaftRole.LEADER);
            cl.tick(3);
            for (String id : List.of("n2", "n3", "n4", "n5")) {
                assertThat(cl.core(id).termAt(2)).as("%s index 2 after S5 leads", id).isEqualTo(3);
            }
        }

        void assertAppliedEntriesAgreeWithTheFinalLog() {
            List<Entry> finalLog = cl.log("n5");
            for (String id : cl.ids) {
                for (Entry e : cl.applied.get(id)) {
                    assertThat(e).as("%s applied index %d", id, e.index()).isEqualTo(finalLog.get((int) e.index() - 1));
                }
            }
        }
    }
}
