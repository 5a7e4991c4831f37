package io.raftkit.examples.loadgen;

import io.raftkit.node.RaftNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Runs an N-node RaftKit group in this JVM over real TCP with real logs, and prints one JSON line per
 * concurrency level: throughput and latency of closed-loop writes to the leader. It reports figures; it
 * asserts nothing.
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
                ClosedLoopRun.Result r = new ClosedLoopRun(leader, concurrency, o.payload(), o.sessions())
                        .run(o.warmup(), o.duration());
                System.out.println(json(o, concurrency, r));
                System.out.flush();
            } finally {
                deleteRecursively(runDir);
            }
        }
        if (o.dataDir() == null) {
            deleteRecursively(dir);
        }
    }

    private static String json(LoadOptions o, int concurrency, ClosedLoopRun.Result r) {
        return String.format(Locale.ROOT,
                "{\"system\":\"raftkit\",\"nodes\":%d,\"payload\":%d,\"concurrency\":%d,\"ops_per_s\":%.0f,"
                        + "\"p50_us\":%.1f,\"p99_us\":%.1f,\"p999_us\":%.1f,\"errors\":%d,\"fsync\":%b,"
                        + "\"sessions\":%b,\"duration_s\":%.1f,\"operations\":%d}",
                o.nodes(), o.payload(), concurrency, r.operations() / r.seconds(),
                r.latencyNanos().getValueAtPercentile(50) / 1e3, r.latencyNanos().getValueAtPercentile(99) / 1e3,
                r.latencyNanos().getValueAtPercentile(99.9) / 1e3, r.errors(), o.fsync(), o.sessions(),
                r.seconds(), r.operations());
    }

    private static void deleteRecursively(Path p) throws java.io.IOException {
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
