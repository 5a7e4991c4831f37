package io.raftkit.examples.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ThreadCostsTest {

    private static ThreadCosts.Reading r(long id, String name, long cpu, long allocated) {
        return new ThreadCosts.Reading(id, name, cpu, -1, allocated);
    }

    private static ThreadCosts.Reading u(long id, String name, long cpu, long user, long allocated) {
        return new ThreadCosts.Reading(id, name, cpu, user, allocated);
    }

    @Test
    void aThreadAliveThroughoutCountsItsGrowthOnly() {
        ThreadCosts c = new ThreadCosts();
        c.first(List.of(r(1, "raft-loop-n1", 1_000, 5_000), r(2, "raft-apply-n1", 10, 10)));
        c.next(List.of(r(1, "raft-loop-n1", 1_500, 6_000), r(2, "raft-apply-n1", 20, 30)));
        ThreadCosts.Totals t = c.last(List.of(r(1, "raft-loop-n1", 3_000, 9_000), r(2, "raft-apply-n1", 40, 70)));
        assertThat(t.groups().get(CostGroup.LOOP)).isEqualTo(new ThreadCosts.GroupCost(2_000, 0, 4_000));
        assertThat(t.groups().get(CostGroup.APPLY)).isEqualTo(new ThreadCosts.GroupCost(30, 0, 60));
        assertThat(t.cpuNanos()).isEqualTo(2_030);
        assertThat(t.allocatedBytes()).isEqualTo(4_060);
        assertThat(t.threadsStarted()).isZero();
        assertThat(t.threadsEnded()).isZero();
    }

    @Test
    void aThreadStartedInsideTheWindowCountsEverythingItDid() {
        ThreadCosts c = new ThreadCosts();
        c.first(List.of(r(1, "main", 100, 100)));
        c.next(List.of(r(1, "main", 100, 100), r(7, "raftkit-wal-preparer-log", 300, 40)));
        ThreadCosts.Totals t = c.last(List.of(r(1, "main", 100, 100), r(7, "raftkit-wal-preparer-log", 500, 50)));
        assertThat(t.groups().get(CostGroup.WAL)).isEqualTo(new ThreadCosts.GroupCost(500, 0, 50));
        assertThat(t.threadsStarted()).isEqualTo(1);
        assertThat(t.threadsEnded()).isZero();
    }

    @Test
    void aThreadEndedInsideTheWindowCountsUpToItsLastReadingAndIsCounted() {
        ThreadCosts c = new ThreadCosts();
        c.first(List.of(r(1, "main", 0, 0), r(7, "raftkit-wal-preparer-log", 100, 10)));
        c.next(List.of(r(1, "main", 0, 0), r(7, "raftkit-wal-preparer-log", 400, 30)));
        ThreadCosts.Totals t = c.last(List.of(r(1, "main", 0, 0)));
        assertThat(t.groups().get(CostGroup.WAL)).isEqualTo(new ThreadCosts.GroupCost(300, 0, 20));
        assertThat(t.threadsEnded()).isEqualTo(1);
    }

    @Test
    void everyGroupIsReportedInOrderEvenWithoutThreads() {
        ThreadCosts c = new ThreadCosts();
        c.first(List.of());
        ThreadCosts.Totals t = c.last(List.of(r(3, "Reference Handler", 5, 0)));
        assertThat(t.groups().keySet()).containsExactly(CostGroup.values());
        assertThat(t.groups().get(CostGroup.NETTY)).isEqualTo(new ThreadCosts.GroupCost(0, 0, 0));
        assertThat(t.groups().get(CostGroup.OTHER)).isEqualTo(new ThreadCosts.GroupCost(5, 0, 0));
    }

    @Test
    void aLowerLaterReadingUndoesNothing() {
        ThreadCosts c = new ThreadCosts();
        c.first(List.of(r(1, "main", 100, 100)));
        c.next(List.of(r(1, "main", 200, 300)));
        ThreadCosts.Totals t = c.last(List.of(r(1, "main", 150, 250)));
        assertThat(t.groups().get(CostGroup.CLIENTS)).isEqualTo(new ThreadCosts.GroupCost(100, 0, 200));
    }

    @Test
    void systemTimeIsCpuLessUserTimeOfThreadsWhoseEndsAreBothRead() {
        ThreadCosts c = new ThreadCosts();
        c.first(List.of(u(1, "raftkit-wal-writer-log", 1_000, 600, 0), u(2, "raftkit-wal-preparer-log", 0, 0, 0)));
        c.next(List.of(r(1, "raftkit-wal-writer-log", 2_000, 0), r(2, "raftkit-wal-preparer-log", 500, 0),
                r(3, "raftkit-wal-preparer-log", 100, 0)));
        // Thread 2 ended (no system time known); thread 3 started inside and is alive at the end.
        ThreadCosts.Totals t = c.last(List.of(u(1, "raftkit-wal-writer-log", 3_000, 1_100, 0),
                u(3, "raftkit-wal-preparer-log", 400, 100, 0)));
        // cpu: 2,000 + 500 + 400; system: (2,000 - 500) + (400 - 100)
        assertThat(t.groups().get(CostGroup.WAL)).isEqualTo(new ThreadCosts.GroupCost(2_900, 1_800, 0));
    }

    @Test
    void aGroupsSystemTimeIsNeverBelowZero() {
        ThreadCosts c = new ThreadCosts();
        c.first(List.of(u(1, "main", 1_000, 1_000, 0)));
        ThreadCosts.Totals t = c.last(List.of(u(1, "main", 1_005, 1_010, 0)));
        assertThat(t.groups().get(CostGroup.CLIENTS).systemNanos()).isZero();
    }

    @Test
    void readingsMustComeInOrder() {
        ThreadCosts c = new ThreadCosts();
        assertThatThrownBy(() -> c.next(List.of())).isInstanceOf(IllegalStateException.class);
        c.first(List.of());
        assertThatThrownBy(() -> c.first(List.of())).isInstanceOf(IllegalStateException.class);
    }
}
