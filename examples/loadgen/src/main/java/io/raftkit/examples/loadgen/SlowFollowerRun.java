package io.raftkit.examples.loadgen;

import io.raftkit.node.RaftNode;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * What one follower that stops for a while costs the rest: three nodes under full closed-loop write load,
 * one follower stopped (closed, its directory kept) for {@code --pause}, then started again. Prints one
 * JSON line per phase (before, paused, after): writes per second, the JVM's heap high-water mark (all
 * three nodes share this JVM), and the most live heap any garbage collection left; and when the follower
 * caught up. It reports figures and asserts nothing.
 *
 * <pre>
 * java -cp examples/loadgen/target/loadgen.jar io.raftkit.examples.loadgen.SlowFollowerRun \
 *     [--concurrency 128] [--payload 100] [--before 20s] [--pause 60s] [--after 30s] [--data-dir DIR]
 * </pre>
 */
public final class SlowFollowerRun {

    private SlowFollowerRun() {}

    public static void main(String[] args) throws Exception {
        RunArguments a = new RunArguments(args, java.util.Set.of("--concurrency", "--payload", "--before", "--pause",
                "--after", "--data-dir"));
        int concurrency = a.integer("--concurrency", 128);
        int payload = a.integer("--payload", 100);
        Duration before = a.duration("--before", Duration.ofSeconds(20));
        Duration pause = a.duration("--pause", Duration.ofSeconds(60));
        Duration after = a.duration("--after", Duration.ofSeconds(30));
        Path dir = a.runDirectory("slow-follower");
        try (BenchCluster cluster = new BenchCluster(3, dir, true)) {
            RaftNode leader = cluster.awaitLeader();
            int follower = cluster.nodes.indexOf(leader) == 0 ? 1 : 0;
            ClosedLoopWriters load = new ClosedLoopWriters(leader, concurrency, new byte[payload]);
            load.start();
            TimeUnit.SECONDS.sleep(5); // warm-up: the JIT and the logs' first segments; not reported
            phase("before", load, before);
            cluster.stop(follower);
            phase("paused", load, pause);
            long target = leader.status().commitIndex();
            long restarted = System.nanoTime();
            RaftNode back = cluster.restart(follower);
            // Caught up: applied everything the group had committed when it came back.
            AtomicLong caughtUp = new AtomicLong(-1);
            Thread watch = new Thread(() -> caughtUp.set(
                    waitFor(() -> back.status().appliedIndex() >= target, Duration.ofMinutes(5))), "catch-up-watch");
            watch.setDaemon(true);
            watch.start();
            phase("after", load, after);
            watch.join();
            int other = 3 - cluster.nodes.indexOf(leader) - follower;
            System.out.printf(Locale.ROOT, "{\"commit_index_at_restart\":%d,\"follower_caught_up_s\":%.1f,"
                            + "\"snapshots_installed\":%d,\"snapshots_sent_by_leader\":%d,"
                            + "\"snapshots_sent_by_other_follower\":%d}%n", target, caughtUp.get() < 0 ? -1.0
                            : (caughtUp.get() - restarted) / 1e9, back.metrics().snapshotsInstalled(),
                    leader.metrics().snapshotsSent(), cluster.nodes.get(other).metrics().snapshotsSent());
            load.stop();
        } finally {
            LoadGenerator.deleteRecursively(dir);
        }
    }

    /** Runs the load through one phase; prints writes/s and the heap's high-water marks over it. */
    private static void phase(String name, ClosedLoopWriters load, Duration length) {
        List<MemoryPoolMXBean> heap = new ArrayList<>();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
                heap.add(p);
            }
        }
        long startOps = load.done.get();
        long startErrors = load.errors.get();
        long start = System.nanoTime();
        long end = start + length.toNanos();
        long maxLive = 0;
        while (System.nanoTime() < end) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            long live = 0;
            for (MemoryPoolMXBean p : heap) {
                MemoryUsage after = p.getCollectionUsage();
                live += after == null ? 0 : after.getUsed();
            }
            maxLive = Math.max(maxLive, live);
        }
        long peak = 0;
        for (MemoryPoolMXBean p : heap) {
            peak += p.getPeakUsage().getUsed();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "{\"phase\":\"%s\",\"seconds\":%.1f,\"ops_per_s\":%.0f,\"errors\":%d,"
                        + "\"heap_peak_mb\":%.1f,\"heap_live_after_gc_max_mb\":%.1f}%n", name, seconds,
                (load.done.get() - startOps) / seconds, load.errors.get() - startErrors, peak / 1048576.0,
                maxLive / 1048576.0);
        System.out.flush();
    }

    private static long waitFor(java.util.function.BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return System.nanoTime();
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        return -1;
    }
}
