package io.raftkit.examples.loadgen;

import io.raftkit.node.RaftNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs an N-node RaftKit group in this JVM over real TCP with real logs, and prints one JSON line per
 * concurrency level: throughput and latency of closed-loop writes to the leader, and what each write cost
 * the process in CPU time and heap allocation ({@link CostMeter}) and in waits for a core and context
 * switches ({@link SchedulerStats}, Linux only); with {@code --jfr true}, a JFR summary
 * of the window follows the line ({@link JfrSummary}). It reports figures; it asserts nothing.
 */
public final class LoadGenerator {

    private LoadGenerator() {}

    public static void main(String[] args) throws Exception {
        LoadOptions o;
        try {
            o = LoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println("loadgen: " + e.getMessage());
            }
            System.err.println(LoadOptions.USAGE);
            System.exit(e.getMessage().isEmpty() ? 0 : 2);
            return;
        }
        Path dir = o.dataDir() != null ? Files.createDirectories(o.dataDir()) : Files.createTempDirectory("raftkit-loadgen");
        for (int concurrency : o.concurrency()) {
            // A fresh group per level, so one level's backlog or log size does not colour the next.
            Path runDir = Files.createDirectories(dir.resolve("c" + concurrency + "-" + System.nanoTime()));
            try (BenchCluster cluster = new BenchCluster(o.nodes(), runDir, o.fsync())) {
                RaftNode leader = cluster.awaitLeader();
                CostMeter cost = new CostMeter();
                SchedulerStats sched = new SchedulerStats();
                JfrWindow jfr = o.jfr() ? new JfrWindow(jfrFile(o, concurrency)) : null;
                StageBreakdown stages = o.stages() ? new StageBreakdown() : null;
                // Recordings outermost, so that starting and dumping them stay outside the cost window.
                List<WindowProbe> probes = new java.util.ArrayList<>();
                if (jfr != null) {
                    probes.add(jfr);
                }
                if (stages != null) {
                    probes.add(stages);
                }
                probes.add(sched); // reads /proc: outside the CPU window
                probes.add(cost);
                ClosedLoopRun.Result r = new ClosedLoopRun(leader, concurrency, o.payload(), o.sessions())
                        .run(o.warmup(), o.duration(), probes);
                System.out.println(json(o, concurrency, r, cost.result(), sched.result()));
                warnIfCompiling(cost.result(), sched.result());
                if (stages != null) {
                    System.out.println(stages.summary());
                }
                System.out.flush();
                if (jfr != null) {
                    JfrSummary.read(jfr.file(), 15).lines().forEach(System.out::println);
                    System.out.flush();
                }
            } finally {
                deleteRecursively(runDir);
            }
        }
        if (o.dataDir() == null) {
            deleteRecursively(dir);
        }
    }

    /**
     * Tells (on stderr) when the JIT compiler took more than a tenth of the window's CPU: the figures are
     * then of code still being compiled, not of the steady state a running service sees.
     */
    private static void warnIfCompiling(CostMeter.Result cost, SchedulerStats.Result sched) {
        if (sched != null && cost.processCpuNanos() > 0 && sched.jitCpuNanos() > cost.processCpuNanos() / 10) {
            System.err.printf(Locale.ROOT, "loadgen: the JIT compiler used %.0f%% of the CPU in this window; its figures"
                    + " are of code still being compiled: use a longer --warmup%n",
                    100.0 * sched.jitCpuNanos() / cost.processCpuNanos());
        }
    }

    /** {@code <dir>/loadgen-c<C>-<yyyyMMdd-HHmmss>.jfr}, the directory created if need be. */
    private static Path jfrFile(LoadOptions o, int concurrency) throws java.io.IOException {
        Path jfrDir = Files.createDirectories((o.jfrDir() != null ? o.jfrDir() : Path.of("")).toAbsolutePath());
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT));
        return jfrDir.resolve("loadgen-c" + concurrency + "-" + stamp + ".jfr").toAbsolutePath();
    }

    private static String json(LoadOptions o, int concurrency, ClosedLoopRun.Result r, CostMeter.Result cost,
            SchedulerStats.Result sched) {
        return String.format(Locale.ROOT,
                "{\"system\":\"raftkit\",\"nodes\":%d,\"payload\":%d,\"concurrency\":%d,\"ops_per_s\":%.0f,"
                        + "\"p50_us\":%.1f,\"p99_us\":%.1f,\"p999_us\":%.1f,\"errors\":%d,\"fsync\":%b,"
                        + "\"sessions\":%b,\"duration_s\":%.1f,\"operations\":%d,%s,\"sched\":%s}",
                o.nodes(), o.payload(), concurrency, r.operations() / r.seconds(),
                r.latencyNanos().getValueAtPercentile(50) / 1e3, r.latencyNanos().getValueAtPercentile(99) / 1e3,
                r.latencyNanos().getValueAtPercentile(99.9) / 1e3, r.errors(), o.fsync(), o.sessions(),
                r.seconds(), r.operations(), costJson(cost, r.operations(), r.seconds()),
                SchedulerStats.json(sched, r.operations()));
    }

    /**
     * The cost fields, per write completed in the window ({@code null} when none completed):
     * {@code cpu_us_per_write} (process CPU), {@code alloc_bytes_per_write} (heap, all listed threads),
     * {@code vm_cpu_us_per_write} (process CPU on no listed thread: GC, JIT, ...), {@code cpu_cores}
     * (process CPU over the window's wall time), {@code groups} (per thread group: CPU, the kernel's part
     * of it, heap bytes) and the threads that started and ended inside the window.
     */
    static String costJson(CostMeter.Result cost, long writes, double seconds) {
        ThreadCosts.Totals t = cost.threads();
        StringBuilder groups = new StringBuilder();
        for (Map.Entry<CostGroup, ThreadCosts.GroupCost> e : t.groups().entrySet()) {
            if (groups.length() > 0) {
                groups.append(',');
            }
            ThreadCosts.GroupCost g = e.getValue();
            groups.append(String.format(Locale.ROOT, "\"%s\":{\"cpu_us\":%s,\"sys_us\":%s,\"alloc_b\":%s}",
                    e.getKey().key(), perWrite(g.cpuNanos() / 1e3, writes, 2), perWrite(g.systemNanos() / 1e3, writes, 2),
                    perWrite(g.allocatedBytes(), writes, 0)));
        }
        return String.format(Locale.ROOT,
                "\"cpu_us_per_write\":%s,\"alloc_bytes_per_write\":%s,\"vm_cpu_us_per_write\":%s,\"cpu_cores\":%.2f,"
                        + "\"groups\":{%s},\"threads_started\":%d,\"threads_ended\":%d",
                perWrite(cost.processCpuNanos() / 1e3, writes, 2), perWrite(t.allocatedBytes(), writes, 0),
                perWrite((cost.processCpuNanos() - t.cpuNanos()) / 1e3, writes, 2),
                cost.processCpuNanos() / 1e9 / seconds, groups, t.threadsStarted(), t.threadsEnded());
    }

    /** {@code amount / writes} with {@code decimals} decimals, or {@code null} when no write completed. */
    static String perWrite(double amount, long writes, int decimals) {
        return writes == 0 ? "null" : String.format(Locale.ROOT, "%." + decimals + "f", amount / writes);
    }

    static void deleteRecursively(Path p) throws java.io.IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            for (Path f : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
