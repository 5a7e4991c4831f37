package io.raftkit.examples.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class SchedulerStatsTest {

    @Test
    void parsesSchedstatAndTheContextSwitchLinesOfStatus() {
        SchedulerStats.Sample s = SchedulerStats.parse("raftkit-wal-wri\n", "123456 7890 42\n",
                List.of("Name:\traftkit-wal-wri", "State:\tS (sleeping)", "voluntary_ctxt_switches:\t100",
                        "nonvoluntary_ctxt_switches:\t7"));
        assertThat(s).isEqualTo(new SchedulerStats.Sample("raftkit-wal-wri", 123456, 7890, 107));
    }

    @Test
    void threadsAliveThroughoutCountTheirGrowthStartedOnesAllAndEndedOnesNothing() {
        Map<Long, SchedulerStats.Sample> first = Map.of(
                1L, new SchedulerStats.Sample("raftkit-netty-n", 1_000, 500, 10),
                2L, new SchedulerStats.Sample("raftkit-wal-wri", 2_000, 300, 20),
                3L, new SchedulerStats.Sample("raft-apply-n1", 9_000, 9_000, 90), // ends inside the window
                4L, new SchedulerStats.Sample("C2 CompilerThre", 50_000, 0, 5));
        Map<Long, SchedulerStats.Sample> last = Map.of(
                1L, new SchedulerStats.Sample("raftkit-netty-n", 5_000, 2_500, 30),
                2L, new SchedulerStats.Sample("raftkit-wal-wri", 3_000, 1_300, 25),
                4L, new SchedulerStats.Sample("C2 CompilerThre", 80_000, 100, 9),
                5L, new SchedulerStats.Sample("raftkit-netty-n", 700, 400, 3)); // started inside it

        SchedulerStats.Result r = SchedulerStats.between(first, last);

        assertThat(r.groups().get(CostGroup.NETTY)).isEqualTo(new SchedulerStats.GroupStats(2_000 + 400, 20 + 3));
        assertThat(r.groups().get(CostGroup.WAL)).isEqualTo(new SchedulerStats.GroupStats(1_000, 5));
        assertThat(r.groups().get(CostGroup.APPLY)).isEqualTo(new SchedulerStats.GroupStats(0, 0));
        assertThat(r.groups().get(CostGroup.OTHER)).isEqualTo(new SchedulerStats.GroupStats(100, 4));
        assertThat(r.jitCpuNanos()).isEqualTo(30_000);
        assertThat(r.runQueueNanos()).isEqualTo(3_500);
        assertThat(r.switches()).isEqualTo(32);
        assertThat(SchedulerStats.json(r, 10)).startsWith(
                "{\"runq_wait_us_per_write\":0.35,\"switches_per_write\":3.200,\"jit_cpu_us_per_write\":3.00,")
                .contains("\"netty\":{\"runq_us\":0.24,\"switches\":2.300}");
        assertThat(SchedulerStats.json(r, 0)).isEqualTo("null");
        assertThat(SchedulerStats.json(null, 10)).isEqualTo("null");
    }

    @Test
    void onLinuxItCountsTheSwitchOfAThreadThatSleptInsideTheWindow() throws Exception {
        assumeThat(Files.isDirectory(Path.of("/proc/self/task"))).as("Linux /proc").isTrue();
        SchedulerStats stats = new SchedulerStats();
        stats.opened();
        CountDownLatch slept = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(2); // what is measured: a thread that sleeps is switched out
                slept.countDown();
                done.await(); // alive when the window closes: a thread that ended counts nothing
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "raft-apply-test");
        t.start();
        slept.await();
        stats.closed();
        done.countDown();
        t.join();
        assertThat(stats.result().groups().get(CostGroup.APPLY).switches()).isPositive();
        assertThat(SchedulerStats.json(stats.result(), 1)).contains("\"apply\":{");
    }
}
