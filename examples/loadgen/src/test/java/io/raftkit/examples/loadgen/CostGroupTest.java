package io.raftkit.examples.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CostGroupTest {

    @Test
    void threadsAreGroupedByTheNamesRaftKitAndNettyGiveThem() {
        assertThat(CostGroup.of("raft-loop-n1")).isEqualTo(CostGroup.LOOP);
        assertThat(CostGroup.of("raft-apply-n3")).isEqualTo(CostGroup.APPLY);
        assertThat(CostGroup.of("raftkit-wal-writer-log")).isEqualTo(CostGroup.WAL);
        assertThat(CostGroup.of("raftkit-wal-preparer-log")).isEqualTo(CostGroup.WAL);
        assertThat(CostGroup.of("raftkit-netty-n2-1-1")).isEqualTo(CostGroup.NETTY);
        assertThat(CostGroup.of("globalEventExecutor-1-2")).isEqualTo(CostGroup.NETTY);
        assertThat(CostGroup.of("main")).isEqualTo(CostGroup.CLIENTS);
        assertThat(CostGroup.of("ForkJoinPool.commonPool-worker-3")).isEqualTo(CostGroup.CLIENTS);
        assertThat(CostGroup.of("raft-snapshot-n1")).isEqualTo(CostGroup.OTHER);
        assertThat(CostGroup.of("loadgen-cost-meter")).isEqualTo(CostGroup.OTHER);
        assertThat(CostGroup.of("JFR Periodic Tasks")).isEqualTo(CostGroup.OTHER);
        assertThat(CostGroup.of(null)).isEqualTo(CostGroup.OTHER);
    }

    @Test
    void kernelNamesCutTo15CharactersFallInTheSameGroups() {
        assertThat(CostGroup.ofKernelName("raftkit-wal-wri")).isEqualTo(CostGroup.WAL);
        assertThat(CostGroup.ofKernelName("raftkit-netty-n")).isEqualTo(CostGroup.NETTY);
        assertThat(CostGroup.ofKernelName("raft-apply-n1")).isEqualTo(CostGroup.APPLY);
        assertThat(CostGroup.ofKernelName("ForkJoinPool.co")).isEqualTo(CostGroup.CLIENTS);
        assertThat(CostGroup.ofKernelName("C2 CompilerThre")).isEqualTo(CostGroup.OTHER);
        assertThat(CostGroup.ofKernelName("GC Thread#0")).isEqualTo(CostGroup.OTHER);
    }

    @Test
    void theJsonKeysAreLowerCase() {
        assertThat(CostGroup.LOOP.key()).isEqualTo("loop");
        assertThat(CostGroup.CLIENTS.key()).isEqualTo("clients");
    }
}
