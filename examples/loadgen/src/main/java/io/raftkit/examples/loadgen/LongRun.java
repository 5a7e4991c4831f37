package io.raftkit.examples.loadgen;

import io.raftkit.node.RaftNode;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * A long run: three nodes (as {@code loadgen}: Netty on loopback, fsync on, default settings, so a
 * snapshot every 100,000 entries and the log compacted behind it) under closed-loop writers until
 * {@code --entries} writes are done, printing one JSON line per {@code --window}: writes/s, p50 and p99,
 * CPU and bytes allocated per write (see {@link CostMeter}), the leader's snapshots so far, and the most
 * live heap a garbage collection left in the window. The point is that none of them drifts as the log
 * grows and compacts. It asserts nothing.
 *
 * <pre>
 * java -cp examples/loadgen/target/loadgen.jar io.raftkit.examples.loadgen.LongRun \
 *     [--entries 10000000] [--concurrency 128] [--payload 100] [--window 10s] [--data-dir DIR]
 * </pre>
 */
public final class LongRun {

    private LongRun() {}

    public static void main(String[] args) throws Exception {
        RunArguments a = new RunArguments(args, java.util.Set.of("--entries", "--concurrency", "--payload", "--window",
                "--data-dir"));
        long entries = a.number("--entries", 10_000_000);
        int concurrency = a.integer("--concurrency", 128);
        int payload = a.integer("--payload", 100);
        Duration window = a.duration("--window", Duration.ofSeconds(10));
        Path dir = a.runDirectory("long-run");
        try (BenchCluster cluster = new BenchCluster(3, dir, true)) {
            RaftNode leader = cluster.awaitLeader();
            ClosedLoopWriters load = new ClosedLoopWriters(leader, concurrency, new byte[payload]);
            load.start();
            TimeUnit.SECONDS.sleep(3); // warm-up, not reported
            load.latencyNanos.getIntervalHistogram();
            long startDone = load.done.get();
            for (int n = 1; load.done.get() - startDone < entries; n++) {
                CostMeter cost = new CostMeter();
                long before = load.done.get();
                long t0 = System.nanoTime();
                cost.opened();
                long live = liveHeapMaxOver(window);
                cost.closed();
                long writes = load.done.get() - before;
                double seconds = (System.nanoTime() - t0) / 1e9;
                Histogram h = load.latencyNanos.getIntervalHistogram();
                CostMeter.Result r = cost.result();
                System.out.printf(Locale.ROOT, "{\"window\":%d,\"writes_total\":%d,\"ops_per_s\":%.0f,\"p50_us\":%.0f,"
                                + "\"p99_us\":%.0f,\"errors\":%d,\"cpu_us_per_write\":%.2f,\"alloc_bytes_per_write\":%d,"
                                + "\"leader_snapshots\":%d,\"leader_last_snapshot_index\":%d,\"heap_live_after_gc_max_mb\":%.1f}%n",
                        n, load.done.get() - startDone, writes / seconds, h.getValueAtPercentile(50) / 1e3,
                        h.getValueAtPercentile(99) / 1e3, load.errors.get(),
                        writes == 0 ? 0.0 : r.processCpuNanos() / 1e3 / writes,
                        writes == 0 ? 0 : r.threads().allocatedBytes() / writes, leader.metrics().snapshotsTaken(),
                        leader.status().lastSnapshotIndex(), live / 1048576.0);
                System.out.flush();
            }
            load.stop();
        } finally {
            LoadGenerator.deleteRecursively(dir);
        }
    }

    /** Waits {@code window}; returns the most heap any garbage collection left live meanwhile. */
    private static long liveHeapMaxOver(Duration window) {
        long end = System.nanoTime() + window.toNanos();
        long max = 0;
        while (System.nanoTime() < end) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            long live = 0;
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
                MemoryUsage after = p.getType() == MemoryType.HEAP ? p.getCollectionUsage() : null;
                live += after == null ? 0 : after.getUsed();
            }
            max = Math.max(max, live);
        }
        return max;
    }
}
