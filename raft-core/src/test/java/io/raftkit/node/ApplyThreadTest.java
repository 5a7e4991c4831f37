package io.raftkit.node;

import static io.raftkit.node.TestKv.put;
import static io.raftkit.node.TestKv.str;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkit.core.Configuration;
import io.raftkit.core.Entry;
import io.raftkit.testkit.memory.InMemorySnapshotStore;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The apply thread takes a write's expectation without waking up, and still answers every write. */
class ApplyThreadTest {

    private final ByteBudget queued = new ByteBudget("maxApplyQueueBytes", 1 << 20);
    private final Applier applier = new Applier("n1", new TestKv(), new InMemorySnapshotStore(), NodeOptions.NO_SNAPSHOTS,
            Configuration.of("n1"), meta -> { }, e -> { }, queued, () -> { }, Clock.system());
    private final ApplyThread thread = new ApplyThread("n1", applier, e -> { });

    @AfterEach
    void stop() {
        thread.stop(new NodeClosedException("test over", false));
    }

    private void apply(long index, byte[] command) {
        ApplyTask.Apply a = ApplyTask.Apply.of(List.of(Entry.command(1, index, command)));
        queued.take(a.bytes());
        thread.offer(a);
    }

    @Test
    void anExpectationOfAnEntryNotHandedOutYetIsAnsweredWhenTheEntryIs() throws Exception {
        thread.start();
        CompletableFuture<byte[]> first = new CompletableFuture<>();
        thread.offer(new ApplyTask.Expect(1, 1, first));
        apply(1, put("k", "v1"));
        assertThat(str(first.get(10, TimeUnit.SECONDS))).isEmpty();
        CompletableFuture<byte[]> second = new CompletableFuture<>();
        thread.offer(new ApplyTask.Expect(2, 1, second));
        apply(2, put("k", "v2"));
        assertThat(str(second.get(10, TimeUnit.SECONDS))).isEqualTo("v1");
    }

    @Test
    void anExpectationOfAnEntryAlreadyHandedOutWakesTheThread() throws Exception {
        thread.start();
        apply(1, put("k", "v1"));
        // The entry's answer came first (a follower's forwarded write can be applied before the leader's
        // acceptance arrives): nothing else will wake the thread for it.
        CompletableFuture<byte[]> late = new CompletableFuture<>();
        thread.offer(new ApplyTask.Expect(1, 1, late));
        assertThat(str(late.get(10, TimeUnit.SECONDS))).isEmpty();
    }

    @Test
    void stoppingFailsTheExpectationsStillWaiting() {
        thread.start();
        CompletableFuture<byte[]> waiting = new CompletableFuture<>();
        thread.offer(new ApplyTask.Expect(7, 1, waiting));
        thread.stop(new NodeClosedException("closed", false));
        assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(NodeClosedException.class);
        assertThat(waiting.isCompletedExceptionally()).isTrue();
    }
}
