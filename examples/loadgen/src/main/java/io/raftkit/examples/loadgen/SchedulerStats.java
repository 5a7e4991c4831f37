package io.raftkit.examples.loadgen;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the kernel's scheduler did to the process's threads over the measured window, per
 * {@link CostGroup}: how long they were runnable but waiting for a core (run-queue wait), and how often
 * they were switched out. On this benchmark's small machines a write's latency is mostly hand-offs
 * between threads, and a hand-off's time is mostly that wait, so these say why a change moved latency
 * when CPU per write did not move. It also reports the JIT compiler threads' CPU: a window in which they
 * still work hard measures code being compiled, not the steady state (use a longer {@code --warmup}).
 *
 * <p>Linux only: it reads {@code /proc/self/task/<tid>/schedstat} (time on a core, time waiting on a run
 * queue, both in ns), {@code status} (voluntary and involuntary context switches) and {@code comm} (the
 * thread's name, cut to 15 characters) of every thread, JVM-internal ones included, when the window opens
 * and when it closes. A thread alive at both readings counts its growth, one started inside the window all
 * of its counters, one that ended inside it nothing. Elsewhere {@link #result()} is null.
 */
final class SchedulerStats implements WindowProbe {

    private static final Path TASKS = Path.of("/proc/self/task");

    /** One thread's cumulative counters; {@code name} is its kernel name. */
    record Sample(String name, long cpuNanos, long runQueueNanos, long switches) {}

    /** One group's run-queue wait and context switches over the window. */
    record GroupStats(long runQueueNanos, long switches) {}

    /**
     * The window's figures.
     *
     * @param groups every group, in {@link CostGroup} order
     * @param jitCpuNanos CPU time of the JIT compiler threads
     */
    record Result(Map<CostGroup, GroupStats> groups, long jitCpuNanos) {

        long runQueueNanos() {
            return groups.values().stream().mapToLong(GroupStats::runQueueNanos).sum();
        }

        long switches() {
            return groups.values().stream().mapToLong(GroupStats::switches).sum();
        }
    }

    private Map<Long, Sample> atOpen;
    private Result result;

    @Override
    public void opened() {
        atOpen = read();
    }

    @Override
    public void closed() {
        Map<Long, Sample> atClose = read();
        result = atOpen == null || atClose == null ? null : between(atOpen, atClose);
    }

    /** The window's figures, or null where the kernel's counters cannot be read. */
    Result result() {
        return result;
    }

    /** The figures between two readings of every thread (by thread id). */
    static Result between(Map<Long, Sample> first, Map<Long, Sample> last) {
        Map<CostGroup, long[]> sums = new EnumMap<>(CostGroup.class);
        for (CostGroup g : CostGroup.values()) {
            sums.put(g, new long[2]);
        }
        long jit = 0;
        for (Map.Entry<Long, Sample> e : last.entrySet()) {
            Sample end = e.getValue();
            Sample start = first.getOrDefault(e.getKey(), new Sample(end.name(), 0, 0, 0));
            if (isJitCompiler(end.name())) {
                jit += end.cpuNanos() - start.cpuNanos();
            }
            long[] sum = sums.get(CostGroup.ofKernelName(end.name()));
            sum[0] += end.runQueueNanos() - start.runQueueNanos();
            sum[1] += end.switches() - start.switches();
        }
        Map<CostGroup, GroupStats> groups = new EnumMap<>(CostGroup.class);
        sums.forEach((g, sum) -> groups.put(g, new GroupStats(sum[0], sum[1])));
        return new Result(Collections.unmodifiableMap(groups), jit);
    }

    /** HotSpot's compiler threads: {@code C1 CompilerThread0}, {@code C2 CompilerThread1}, ... (cut to 15). */
    static boolean isJitCompiler(String kernelName) {
        return kernelName.startsWith("C1 CompilerThre") || kernelName.startsWith("C2 CompilerThre");
    }

    /**
     * Parses one thread's files: {@code schedstat} ({@code <ns on a core> <ns on a run queue> <slices>}) and
     * the context-switch lines of {@code status}.
     */
    static Sample parse(String name, String schedstat, List<String> status) {
        String[] f = schedstat.trim().split("\\s+");
        if (f.length < 2) {
            throw new IllegalArgumentException("unexpected schedstat: " + schedstat);
        }
        long switches = 0;
        for (String line : status) {
            if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:")) {
                switches += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return new Sample(name.trim(), Long.parseLong(f[0]), Long.parseLong(f[1]), switches);
    }

    /** Every thread of the process now, or null where {@code /proc} does not have them or their statistics. */
    private static Map<Long, Sample> read() {
        if (!Files.isDirectory(TASKS)) {
            return null;
        }
        Map<Long, Sample> samples = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                try {
                    samples.put(Long.parseLong(task.getFileName().toString()), parse(
                            Files.readString(task.resolve("comm")), Files.readString(task.resolve("schedstat")),
                            Files.readAllLines(task.resolve("status"))));
                } catch (IOException | RuntimeException ended) {
                    // The thread ended while it was read (or the kernel keeps no schedstat): left out.
                }
            }
        } catch (IOException e) {
            return null;
        }
        // A kernel without scheduler statistics has the directories but not the files: nothing to report,
        // rather than zeros that would read as a measurement.
        return samples.isEmpty() ? null : samples;
    }

    /**
     * The JSON object of {@code result} per write ({@code null} when there is none or no write completed):
     * {@code runq_wait_us_per_write}, {@code switches_per_write}, {@code jit_cpu_us_per_write} and, per
     * group, {@code runq_us} and {@code switches}.
     */
    static String json(Result result, long writes) {
        if (result == null || writes == 0) {
            return "null";
        }
        StringBuilder groups = new StringBuilder();
        for (Map.Entry<CostGroup, GroupStats> e : result.groups().entrySet()) {
            if (groups.length() > 0) {
                groups.append(',');
            }
            groups.append(String.format(Locale.ROOT, "\"%s\":{\"runq_us\":%s,\"switches\":%s}", e.getKey().key(),
                    LoadGenerator.perWrite(e.getValue().runQueueNanos() / 1e3, writes, 2),
                    LoadGenerator.perWrite(e.getValue().switches(), writes, 3)));
        }
        return String.format(Locale.ROOT, "{\"runq_wait_us_per_write\":%s,\"switches_per_write\":%s,"
                        + "\"jit_cpu_us_per_write\":%s,\"groups\":{%s}}",
                LoadGenerator.perWrite(result.runQueueNanos() / 1e3, writes, 2),
                LoadGenerator.perWrite(result.switches(), writes, 3),
                LoadGenerator.perWrite(result.jitCpuNanos() / 1e3, writes, 2), groups);
    }
}
