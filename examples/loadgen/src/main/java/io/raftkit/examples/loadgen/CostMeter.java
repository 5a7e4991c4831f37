package io.raftkit.examples.loadgen;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the measured window cost the whole process, to be divided by the writes it completed: CPU time
 * and bytes allocated, in total and per {@link CostGroup} of threads. Speed on a shared machine varies
 * far more from run to run than the work each write takes, so these are the figures to judge a change by.
 *
 * <p>What is measured, between {@link #opened} and {@link #closed}:
 *
 * <ul>
 *   <li><b>process CPU</b>: the growth of {@code OperatingSystemMXBean.getProcessCpuTime()}, user and
 *       system time of every thread of the process, the JVM's own (GC, JIT compiler) included. On Linux
 *       the JDK reads it in clock ticks, so it is exact to about 10 ms per reading (about 1 µs per write
 *       over a window of 10,000 writes);
 *   <li><b>per-thread CPU and allocation</b>: the growth of {@code ThreadMXBean.getThreadCpuTime} and
 *       {@code getThreadAllocatedBytes} of every thread the thread MXBean lists, read when the window
 *       opens, every {@value #SAMPLE_MILLIS} ms on a sampler thread of its own, and when it closes (see
 *       {@link ThreadCosts} for how threads that start or end inside the window count);
 *   <li><b>per-thread system time</b>: CPU time less {@code getThreadUserTime}, read when the window
 *       opens and closes only (on Linux the JDK reads user time from {@code /proc}, in clock ticks: too
 *       slow to sample, exact to about 10 ms per thread), so of the threads alive at both ends and those
 *       started inside the window and alive at its end.
 * </ul>
 *
 * <p>Limits. Allocation is Java heap only (TLAB and outside-TLAB), not direct buffers (Netty's pooled
 * direct memory, the log's write buffers) nor other native memory. JVM-internal threads (GC, JIT
 * compiler, VM thread) are not listed by the thread MXBean: their CPU is in the process total only, so
 * the process CPU less the threads' sum is theirs (plus what threads that ended inside the window did
 * after the sampler last saw them, and the rounding of the process clock). A thread that starts and ends
 * within one sampling period is missed entirely. The sampler itself (thread {@code loadgen-cost-meter},
 * group {@code other}) costs some tens of microseconds of CPU per reading and is counted.
 */
final class CostMeter implements WindowProbe {

    static final long SAMPLE_MILLIS = 10;

    /**
     * One window's cost.
     *
     * @param processCpuNanos CPU time of the whole process over the window
     * @param threads the listed threads' CPU time and allocation, per group
     */
    record Result(long processCpuNanos, ThreadCosts.Totals threads) {}

    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final com.sun.management.ThreadMXBean mx =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final Map<Long, String> names = new HashMap<>(); // guarded by this
    private final ThreadCosts costs = new ThreadCosts(); // guarded by this
    private long processCpuAtOpen; // guarded by this
    private Result result; // set and read by the thread that opens and closes the window
    private Thread sampler;
    private boolean open; // guarded by this: between the first and the last reading

    CostMeter() {
        if (!mx.isThreadCpuTimeSupported() || !mx.isThreadAllocatedMemorySupported()) {
            throw new IllegalStateException("this JVM measures no per-thread CPU time or allocation");
        }
        mx.setThreadCpuTimeEnabled(true);
        mx.setThreadAllocatedMemoryEnabled(true);
    }

    @Override
    public void opened() {
        // The sampler starts before the first reading and stops after the last, so that it is one of the
        // threads alive throughout, not one that started and ended inside the window.
        sampler = new Thread(this::sample, "loadgen-cost-meter");
        sampler.setDaemon(true);
        sampler.start();
        synchronized (this) {
            processCpuAtOpen = os.getProcessCpuTime();
            costs.first(read(true));
            open = true;
        }
    }

    @Override
    public void closed() {
        ThreadCosts.Totals totals;
        long processCpu;
        synchronized (this) {
            open = false;
            totals = costs.last(read(true));
            processCpu = os.getProcessCpuTime() - processCpuAtOpen;
        }
        sampler.interrupt();
        try {
            sampler.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        result = new Result(processCpu, totals);
    }

    /** The figures of the window; only after {@link #closed}. */
    Result result() {
        if (result == null) {
            throw new IllegalStateException("the window has not closed");
        }
        return result;
    }

    private void sample() {
        while (true) {
            try {
                TimeUnit.MILLISECONDS.sleep(SAMPLE_MILLIS);
            } catch (InterruptedException e) {
                return; // the window has closed
            }
            synchronized (this) {
                if (open) {
                    costs.next(read(false));
                }
            }
        }
    }

    /**
     * Every listed thread still alive as it is read, with its user time if {@code withUser}; a thread that
     * ended meanwhile reads -1 and is left out.
     */
    private List<ThreadCosts.Reading> read(boolean withUser) {
        long[] ids = mx.getAllThreadIds();
        long[] cpu = mx.getThreadCpuTime(ids);
        long[] user = withUser ? mx.getThreadUserTime(ids) : null;
        long[] allocated = mx.getThreadAllocatedBytes(ids);
        nameNew(ids);
        List<ThreadCosts.Reading> readings = new ArrayList<>(ids.length);
        for (int i = 0; i < ids.length; i++) {
            if (cpu[i] >= 0 && allocated[i] >= 0) {
                long u = user == null ? -1 : user[i];
                readings.add(new ThreadCosts.Reading(ids[i], names.get(ids[i]), cpu[i], u, allocated[i]));
            }
        }
        return readings;
    }

    /** Names every id not seen before (thread ids are not reused, and these threads keep their names). */
    private void nameNew(long[] ids) {
        long[] unknown = java.util.Arrays.stream(ids).filter(id -> !names.containsKey(id)).toArray();
        if (unknown.length == 0) {
            return;
        }
        ThreadInfo[] infos = mx.getThreadInfo(unknown, 0);
        for (int i = 0; i < unknown.length; i++) {
            if (infos[i] != null) {
                names.put(unknown[i], infos[i].getThreadName());
            }
        }
    }
}
