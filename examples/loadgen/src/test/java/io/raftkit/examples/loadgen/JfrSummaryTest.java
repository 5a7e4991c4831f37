package io.raftkit.examples.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JfrSummaryTest {

    private static volatile Object sink;

    @Test
    void anAllocationIsChargedToTheTopNonJdkFrame() {
        assertThat(JfrSummary.site(List.of("java.util.Arrays.copyOf", "java.util.ArrayList.grow",
                "io.raftkit.node.Batch.add", "io.raftkit.node.RaftLoop.run"))).isEqualTo("io.raftkit.node.Batch.add");
        assertThat(JfrSummary.site(List.of("java.lang.Thread.run"))).isEqualTo("java.lang.Thread.run");
        assertThat(JfrSummary.site(List.of("java.util.Arrays.copyOf", "com.google.protobuf.ByteString.toByteArray",
                "io.netty.Foo.bar", "io.raftkit.transport.netty.WireMapper.mapMessage", "io.raftkit.node.RaftLoop.run")))
                .isEqualTo("com.google.protobuf.ByteString.toByteArray < io.raftkit.transport.netty.WireMapper.mapMessage");
        assertThat(JfrSummary.site(List.of("io.netty.channel.nio.NioEventLoop.run", "java.lang.Thread.run")))
                .isEqualTo("io.netty.channel.nio.NioEventLoop.run");
        assertThat(JfrSummary.site(List.of())).isEqualTo("?");
        assertThat(JfrSummary.isJdk("sun.nio.ch.FileChannelImpl.force")).isTrue();
        assertThat(JfrSummary.isJdk("jdk.internal.misc.Unsafe.park")).isTrue();
        assertThat(JfrSummary.isJdk("io.netty.buffer.PooledByteBufAllocator.newDirectBuffer")).isFalse();
    }

    @Test
    void arrayClassesAreNamedAsInSource() {
        assertThat(JfrSummary.prettyClass("[B")).isEqualTo("byte[]");
        assertThat(JfrSummary.prettyClass("[[J")).isEqualTo("long[][]");
        assertThat(JfrSummary.prettyClass("[Ljava.lang.Object;")).isEqualTo("java.lang.Object[]");
        assertThat(JfrSummary.prettyClass("java.lang.String")).isEqualTo("java.lang.String");
    }

    @Test
    void aTallyListsTheLargestFirstWithShares() {
        JfrSummary.Tally t = new JfrSummary.Tally();
        t.add("a", "x", 10);
        t.add("b", "y", 60);
        t.add("b", "z", 20);
        t.add("c", "x", 10);
        assertThat(t.sum()).isEqualTo(100);
        assertThat(t.events()).isEqualTo(4);
        assertThat(t.top(2)).containsExactly(new JfrSummary.Row("b", 80, 80.0, "y 75%"),
                new JfrSummary.Row("a", 10, 10.0, "x 100%"));
    }

    @Test
    void aRecordedWindowIsSummarised(@TempDir Path dir) throws Exception {
        JfrWindow window = new JfrWindow(dir.resolve("w.jfr"));
        window.opened();
        long deadline = System.nanoTime() + 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            sink = new byte[4_096];
        }
        window.closed();
        List<String> lines = JfrSummary.read(window.file(), 15).lines();
        assertThat(lines).allMatch(l -> l.startsWith("# "));
        assertThat(lines.get(0)).contains("w.jfr");
        assertThat(lines).anyMatch(l -> l.contains("JfrSummaryTest.aRecordedWindowIsSummarised") && l.contains("byte[]"));
        assertThat(lines).anyMatch(l -> l.startsWith("# top 15 hot methods"));
    }

    @Test
    void aPrimedWindowHoldsOnlyTheWindowsEvents(@TempDir Path dir) throws Exception {
        JfrWindow window = new JfrWindow(dir.resolve("primed.jfr"));
        window.warmupStarting();
        allocateDuringWarmup();
        window.opened();
        allocateInWindow();
        window.closed();
        List<String> lines = JfrSummary.read(window.file(), 15).lines();
        assertThat(lines).anyMatch(l -> l.contains("JfrSummaryTest.allocateInWindow"));
        assertThat(lines).noneMatch(l -> l.contains("JfrSummaryTest.allocateDuringWarmup"));
    }

    // Two methods, each allocating itself: a summary names an allocation by its top non-JDK frame.
    private static void allocateDuringWarmup() {
        long deadline = System.nanoTime() + 500_000_000L;
        while (System.nanoTime() < deadline) {
            sink = new byte[4_096];
        }
    }

    private static void allocateInWindow() {
        long deadline = System.nanoTime() + 500_000_000L;
        while (System.nanoTime() < deadline) {
            sink = new long[512];
        }
    }
}
