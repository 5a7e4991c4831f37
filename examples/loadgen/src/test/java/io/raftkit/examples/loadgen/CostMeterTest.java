package io.raftkit.examples.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CostMeterTest {

    private static volatile Object sink;

    @Test
    void theWindowsWorkOnThisThreadIsCharged() {
        CostMeter meter = new CostMeter();
        meter.opened();
        long sum = 0;
        for (int i = 0; i < 10_000; i++) {
            byte[] b = new byte[1_000];
            sink = b;
            sum += b.length;
        }
        meter.closed();
        assertThat(sum).isEqualTo(10_000_000);
        CostMeter.Result r = meter.result();
        // The test runs on surefire's "main" thread: the clients group.
        assertThat(r.threads().groups().get(CostGroup.CLIENTS).allocatedBytes()).isGreaterThanOrEqualTo(10_000_000);
        assertThat(r.threads().groups().get(CostGroup.CLIENTS).cpuNanos()).isPositive();
        assertThat(r.processCpuNanos()).isNotNegative();
        // The meter's own sampler runs from before the first reading to after the last: not a thread that
        // started or ended inside the window.
        assertThat(r.threads().threadsStarted()).isZero();
        assertThat(r.threads().threadsEnded()).isZero();
    }

    @Test
    void costsArePrintedPerWriteAndNullWithoutWrites() {
        Map<CostGroup, ThreadCosts.GroupCost> groups = new EnumMap<>(CostGroup.class);
        for (CostGroup g : CostGroup.values()) {
            groups.put(g, new ThreadCosts.GroupCost(0, 0, 0));
        }
        groups.put(CostGroup.LOOP, new ThreadCosts.GroupCost(3_000_000, 2_000_000, 40_000));
        groups.put(CostGroup.APPLY, new ThreadCosts.GroupCost(1_000_000, 0, 60_000));
        CostMeter.Result r = new CostMeter.Result(5_000_000, new ThreadCosts.Totals(groups, 1, 2));
        assertThat(LoadGenerator.costJson(r, 1_000, 2.0)).isEqualTo(
                "\"cpu_us_per_write\":5.00,\"alloc_bytes_per_write\":100,\"vm_cpu_us_per_write\":1.00,\"cpu_cores\":0.00,"
                        + "\"groups\":{\"loop\":{\"cpu_us\":3.00,\"sys_us\":2.00,\"alloc_b\":40},"
                        + "\"apply\":{\"cpu_us\":1.00,\"sys_us\":0.00,\"alloc_b\":60},"
                        + "\"wal\":{\"cpu_us\":0.00,\"sys_us\":0.00,\"alloc_b\":0},"
                        + "\"netty\":{\"cpu_us\":0.00,\"sys_us\":0.00,\"alloc_b\":0},"
                        + "\"clients\":{\"cpu_us\":0.00,\"sys_us\":0.00,\"alloc_b\":0},"
                        + "\"other\":{\"cpu_us\":0.00,\"sys_us\":0.00,\"alloc_b\":0}},"
                        + "\"threads_started\":1,\"threads_ended\":2");
        assertThat(LoadGenerator.costJson(r, 0, 2.0)).startsWith("\"cpu_us_per_write\":null,\"alloc_bytes_per_write\":null,");
    }
}
