package io.raftkit.examples.loadgen;

import java.util.Locale;

/**
 * The part of the process a thread works for, told from its name: every node's threads of one kind are
 * one group. The names are the ones RaftKit and Netty give their threads:
 *
 * <ul>
 *   <li>{@link #LOOP}: {@code raft-loop-<node>}, each node's Raft loop;
 *   <li>{@link #APPLY}: {@code raft-apply-<node>}, each node's apply thread, which also completes the
 *       callers' futures, so in this benchmark it runs the clients' callbacks and their next submits;
 *   <li>{@link #WAL}: {@code raftkit-wal-writer-<dir>} (writes, fsyncs) and the short-lived
 *       {@code raftkit-wal-preparer-<dir>} (zero-fills the next segment) of each segmented log;
 *   <li>{@link #NETTY}: {@code raftkit-netty-<node>-<pool>-<n>}, each transport's event loops, and Netty's
 *       own helpers ({@code globalEventExecutor-*}, {@code ObjectCleanerThread});
 *   <li>{@link #CLIENTS}: the load generator's own threads ({@code main}, which times the window) and the
 *       {@code ForkJoinPool.commonPool-worker-*};
 *   <li>{@link #OTHER}: everything else the thread MXBean lists (snapshot threads, JFR's threads, the
 *       {@link CostMeter}'s sampler, reference handler, ...).
 * </ul>
 *
 * GC, JIT compiler and other JVM-internal threads are not Java threads the thread MXBean lists; their
 * CPU is only in the process total.
 */
enum CostGroup {
    LOOP, APPLY, WAL, NETTY, CLIENTS, OTHER;

    /** The JSON key: {@code loop}, {@code apply}, ... */
    String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The group of a thread known by its kernel name ({@code /proc/<pid>/task/<tid>/comm}), which is its
     * name cut to 15 characters; JVM-internal threads (GC, JIT compiler) are {@link #OTHER}.
     */
    static CostGroup ofKernelName(String name) {
        if (name.length() == 15 && "ForkJoinPool.commonPool-worker-".startsWith(name)) {
            return CLIENTS;
        }
        return of(name);
    }

    /** The group a thread of this name belongs to. */
    static CostGroup of(String threadName) {
        if (threadName == null) {
            return OTHER;
        }
        if (threadName.startsWith("raft-loop-")) {
            return LOOP;
        }
        if (threadName.startsWith("raft-apply-")) {
            return APPLY;
        }
        if (threadName.startsWith("raftkit-wal-")) {
            return WAL;
        }
        if (threadName.startsWith("raftkit-netty-") || threadName.startsWith("globalEventExecutor-")
                || threadName.equals("ObjectCleanerThread")) {
            return NETTY;
        }
        if (threadName.equals("main") || threadName.startsWith("ForkJoinPool.commonPool-worker-")) {
            return CLIENTS;
        }
        return OTHER;
    }
}
