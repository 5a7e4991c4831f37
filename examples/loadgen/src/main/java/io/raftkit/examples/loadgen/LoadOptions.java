package io.raftkit.examples.loadgen;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The load generator's command line.
 *
 * @param nodes group size
 * @param payload bytes per write
 * @param concurrency writes kept in flight, one measurement per value
 * @param duration measured window per measurement
 * @param warmup unmeasured load before each measurement
 * @param fsync whether the logs fsync (the default and the honest setting)
 * @param dataDir where the nodes keep their logs (a fresh temporary directory when null)
 * @param sessions whether each client writes through its own {@link io.raftkit.node.ClientSession}
 *     instead of {@link io.raftkit.node.RaftNode#submit}
 * @param jfr whether to record each measured window with JFR and print its top allocation sites and hot
 *     methods
 * @param jfrDir where the recordings go (the current directory when null); only with {@code jfr}
 * @param stages whether to print where the leader's writes spend their time, stage by stage ({@link StageBreakdown})
 */
record LoadOptions(int nodes, int payload, List<Integer> concurrency, Duration duration, Duration warmup,
                   boolean fsync, Path dataDir, boolean sessions, boolean jfr, Path jfrDir, boolean stages) {

    static final String USAGE = """
            usage: loadgen [--nodes 3] [--payload 100] [--concurrency 1,16,128] [--duration 10s]
                           [--warmup 15s] [--fsync true|false] [--data-dir DIR] [--sessions true|false]
                           [--jfr true|false] [--jfr-dir DIR] [--stages true|false]
            Starts an N-node RaftKit group in this JVM (Netty on loopback, segmented logs on disk),
            keeps exactly C writes in flight from closed-loop clients, and prints one JSON line per C,
            with the CPU time and heap bytes the measured window cost per write.
            With --sessions true each client opens a ClientSession on the leader and writes through it.
            With --jfr true each measured window is recorded with JFR (profile settings) to a file in
            --jfr-dir (default: the current directory), and its top allocation sites and hot methods are
            printed after the JSON line, as lines starting with "# ".
            With --stages true the JSON line is followed by where the leader's writes spent their time
            (queue, persist, commit, apply: percentiles of one write in 16), from a JFR recording of
            RaftKit's WriteStages events only; the recording costs CPU (about a quarter more per write
            here), so take throughput and cost figures from runs without it.""";

    static LoadOptions parse(String[] args) {
        int nodes = 3;
        int payload = 100;
        List<Integer> concurrency = List.of(1, 16, 128);
        Duration duration = Duration.ofSeconds(10);
        // Long enough for the JIT to finish with the write path on 2 cores: at 3 s its compiler threads still
        // took a third of the CPU of the window that followed (SchedulerStats' jit_cpu_us_per_write).
        Duration warmup = Duration.ofSeconds(15);
        boolean fsync = true;
        Path dataDir = null;
        boolean sessions = false;
        boolean jfr = false;
        Path jfrDir = null;
        boolean stages = false;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--help") || flag.equals("-h")) {
                throw new IllegalArgumentException("");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + flag);
            }
            String v = args[++i];
            switch (flag) {
                case "--nodes" -> nodes = positive(flag, v);
                case "--payload" -> payload = positive(flag, v);
                case "--concurrency" -> {
                    List<Integer> list = new ArrayList<>();
                    for (String c : v.split(",")) {
                        list.add(positive(flag, c.trim()));
                    }
                    concurrency = list;
                }
                case "--duration" -> duration = duration(flag, v);
                case "--warmup" -> warmup = duration(flag, v);
                case "--fsync" -> fsync = bool(flag, v);
                case "--data-dir" -> dataDir = Path.of(v);
                case "--sessions" -> sessions = bool(flag, v);
                case "--jfr" -> jfr = bool(flag, v);
                case "--jfr-dir" -> jfrDir = Path.of(v);
                case "--stages" -> stages = bool(flag, v);
                default -> throw new IllegalArgumentException("unknown option " + flag);
            }
        }
        if (jfrDir != null && !jfr) {
            throw new IllegalArgumentException("--jfr-dir is used only with --jfr true");
        }
        return new LoadOptions(nodes, payload, concurrency, duration, warmup, fsync, dataDir, sessions, jfr, jfrDir,
                stages);
    }

    private static boolean bool(String flag, String v) {
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException(flag + " takes true or false, got " + v);
        }
        return Boolean.parseBoolean(v);
    }

    private static int positive(String flag, String v) {
        try {
            int n = Integer.parseInt(v);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(flag + " takes a positive integer, got " + v);
    }

    /** "10s", "500ms" or "2m". */
    static Duration duration(String flag, String v) {
        try {
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            if (v.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            if (v.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(flag + " takes a duration like 10s, 500ms or 2m, got " + v);
    }
}
