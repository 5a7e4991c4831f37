package io.raftkit.examples.loadgen;

import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sums, per {@link CostGroup}, the CPU time and allocated bytes of each thread between the window's first
 * and last readings, from successive readings of every live thread's counters (taken by
 * {@link CostMeter}). Pure bookkeeping: it reads no clock and no MXBean.
 *
 * <p>What a thread counts for: a thread in the first reading, its counters' growth from there; a thread
 * first seen in a later reading started inside the window, so all of its counters (from 0); a thread
 * missing from the last reading ended inside the window, so its growth up to the last reading that saw
 * it (what it did after that is lost, and counted in {@link Totals#threadsEnded}). A thread that started
 * and ended between two readings is never seen at all. Thread ids are never reused in a JVM, so an id
 * names one thread.
 *
 * <p>User time (and so, as CPU less user time, system time) is read only in the first and last readings
 * (reading it is slow on Linux); a thread's system time counts only when both of its ends are known: a
 * thread that ended inside the window counts in CPU and allocation but not in system time.
 *
 * <p>Not thread-safe on its own; {@link CostMeter} calls it under its lock.
 */
final class ThreadCosts {

    /** One thread's cumulative counters at one moment; {@code userNanos} is -1 when not read. */
    record Reading(long id, String name, long cpuNanos, long userNanos, long allocatedBytes) {}

    /**
     * One group's CPU time, the part of it spent in the kernel (system time, of the threads alive when
     * the window closed), and allocated bytes over the window.
     */
    record GroupCost(long cpuNanos, long systemNanos, long allocatedBytes) {}

    /**
     * The window's figures.
     *
     * @param groups every group, in {@link CostGroup} order (zero for a group without threads)
     * @param threadsStarted threads first seen after the first reading
     * @param threadsEnded threads seen in the window but missing from the last reading
     */
    record Totals(Map<CostGroup, GroupCost> groups, int threadsStarted, int threadsEnded) {

        long cpuNanos() {
            return groups.values().stream().mapToLong(GroupCost::cpuNanos).sum();
        }

        long allocatedBytes() {
            return groups.values().stream().mapToLong(GroupCost::allocatedBytes).sum();
        }
    }

    private static final class Track {
        final CostGroup group;
        final long firstCpu;
        final long firstUser;
        final long firstAllocated;
        long lastCpu;
        long lastUser = -1;
        long lastAllocated;

        Track(CostGroup group, long firstCpu, long firstUser, long firstAllocated) {
            this.group = group;
            this.firstCpu = firstCpu;
            this.firstUser = firstUser;
            this.firstAllocated = firstAllocated;
            this.lastCpu = firstCpu;
            this.lastAllocated = firstAllocated;
        }
    }

    private final Map<Long, Track> tracks = new HashMap<>();
    private boolean opened;
    private int started;

    /** The readings as the window opens: each thread's starting point. */
    void first(List<Reading> readings) {
        if (opened) {
            throw new IllegalStateException("the window is already open");
        }
        opened = true;
        for (Reading r : readings) {
            tracks.put(r.id(), new Track(CostGroup.of(r.name()), r.cpuNanos(), r.userNanos(), r.allocatedBytes()));
        }
    }

    /** Readings taken inside the window. */
    void next(List<Reading> readings) {
        if (!opened) {
            throw new IllegalStateException("the window is not open");
        }
        for (Reading r : readings) {
            Track t = tracks.get(r.id());
            if (t == null) {
                // Started after the previous reading, so inside the window: all it did counts.
                t = new Track(CostGroup.of(r.name()), 0, 0, 0);
                tracks.put(r.id(), t);
                started++;
            }
            // Counters only grow; a smaller value would be a misreading, not work undone.
            t.lastCpu = Math.max(t.lastCpu, r.cpuNanos());
            t.lastAllocated = Math.max(t.lastAllocated, r.allocatedBytes());
            if (r.userNanos() >= 0) {
                t.lastUser = r.userNanos();
            }
        }
    }

    /** The readings as the window closes; returns the window's figures. */
    Totals last(List<Reading> readings) {
        next(readings);
        Set<Long> alive = new HashSet<>();
        for (Reading r : readings) {
            alive.add(r.id());
        }
        // Only user times read in this last reading close a thread's span (an earlier one was not read).
        Set<Long> userClosed = new HashSet<>();
        for (Reading r : readings) {
            if (r.userNanos() >= 0) {
                userClosed.add(r.id());
            }
        }
        int ended = 0;
        Map<CostGroup, long[]> sums = new EnumMap<>(CostGroup.class);
        for (CostGroup g : CostGroup.values()) {
            sums.put(g, new long[3]);
        }
        for (Map.Entry<Long, Track> e : tracks.entrySet()) {
            Track t = e.getValue();
            if (!alive.contains(e.getKey())) {
                ended++;
            }
            long[] sum = sums.get(t.group);
            long cpu = t.lastCpu - t.firstCpu;
            sum[0] += cpu;
            sum[1] += t.lastAllocated - t.firstAllocated;
            if (t.firstUser >= 0 && userClosed.contains(e.getKey())) {
                sum[2] += cpu - (t.lastUser - t.firstUser);
            }
        }
        Map<CostGroup, GroupCost> groups = new EnumMap<>(CostGroup.class);
        // The two clocks round differently (CPU time to the nanosecond, user time to the tick): a group's
        // system time can come out a little below zero, which means none.
        sums.forEach((g, sum) -> groups.put(g, new GroupCost(sum[0], Math.max(0, sum[2]), sum[1])));
        return new Totals(Collections.unmodifiableMap(groups), started, ended);
    }
}
