package io.raftkit.node;

import static io.raftkit.node.TestKv.put;
import static io.raftkit.node.TestKv.str;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkit.core.Configuration;
import io.raftkit.core.Entry;
import io.raftkit.testkit.memory.InMemorySnapshotStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The event loop runs quick apply tasks itself while the apply thread is idle, and hands everything
 * else, in order, to that thread ({@code NodeOptions.applyOnEventLoop}). The test's thread plays the loop.
 */
class ApplyOnLoopTest {

    private static final long LIMIT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final Thread loop = Thread.currentThread();
    private final ByteBudget queued = new ByteBudget("maxApplyQueueBytes", 1 << 20);
    private final TestKv kv = new TestKv();
    private final List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    /** The time the loop's tasks are measured with: a slow state machine moves it on. */
    private final java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();
    private ApplyThread thread = applyThread(kv, NodeOptions.NO_SNAPSHOTS);

    private ApplyThread applyThread(io.raftkit.core.StateMachine sm, long snapshotEvery) {
        Applier applier = new Applier("n1", sm, new InMemorySnapshotStore(), snapshotEvery, Configuration.of("n1"),
                meta -> { }, e -> { }, queued, () -> { }, Clock.system());
        return new ApplyThread("n1", applier, failures::add, () -> Thread.currentThread() == loop, LIMIT_NANOS,
                now::get);
    }

    @AfterEach
    void stop() {
        thread.stop(new NodeClosedException("test over", false));
    }

    private ApplyTask.Apply entry(long index, byte[] command) {
        ApplyTask.Apply a = ApplyTask.Apply.of(List.of(Entry.command(1, index, command)));
        queued.take(a.bytes());
        return a;
    }

    @Test
    void withTheApplyThreadIdleTheLoopAppliesAndAnswersTheWriteItself() {
        thread.start();
        CompletableFuture<byte[]> write = new CompletableFuture<>();
        thread.offer(new ApplyTask.Expect(1, 1, write));
        thread.offer(entry(1, put("k", "v1")));

        assertThat(write).as("answered before offer returned").isCompleted();
        assertThat(kv.applyThread).isSameAs(loop);
        CompletableFuture<byte[]> read = new CompletableFuture<>();
        thread.offer(new ApplyTask.ReadAt(1, "k".getBytes(StandardCharsets.UTF_8), read));
        assertThat(str(read.join())).isEqualTo("v1");
    }

    @Test
    void whileATaskWaitsForTheApplyThreadLaterOnesQueueBehindIt() throws Exception {
        thread.start();
        CountDownLatch release = new CountDownLatch(1);
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        thread.offer(new ApplyTask.Callback(() -> {
            await(release);
            order.add("callback");
        }, null));
        CompletableFuture<byte[]> write = new CompletableFuture<>();
        write.thenRun(() -> order.add("write"));
        thread.offer(new ApplyTask.Expect(1, 1, write));
        thread.offer(entry(1, put("k", "v1")));

        assertThat(write).as("not applied past the callback").isNotDone();
        release.countDown();
        write.get(10, TimeUnit.SECONDS);
        assertThat(order).containsExactly("callback", "write");
        assertThat(kv.applyThread.getName()).startsWith("raft-apply-");

        // Once the thread has caught up, the loop applies again.
        CompletableFuture<byte[]> next = new CompletableFuture<>();
        thread.offer(new ApplyTask.Expect(2, 1, next));
        thread.offer(entry(2, put("k", "v2")));
        assertThat(next).isCompleted();
        assertThat(kv.applyThread).isSameAs(loop);
    }

    /**
     * A write accepted while the apply thread is busy (taking a snapshot, say) is expected there, and
     * must not wait for its entry there: that would keep the thread's work outstanding until the entry
     * came, so the entry would be applied there too, and every round after it.
     */
    @Test
    void onceTheApplyThreadHasCaughtUpTheNextRoundIsAppliedOnTheLoop() {
        thread.start();
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        thread.offer(new ApplyTask.Callback(() -> {
            busy.countDown();
            await(release);
        }, null));
        await(busy);
        CompletableFuture<byte[]> write = new CompletableFuture<>();
        thread.offer(new ApplyTask.Expect(1, 1, write)); // its entry is not committed yet
        release.countDown();
        io.raftkit.testkit.TestCluster.await("the apply thread to catch up", thread::idle);

        thread.offer(entry(1, put("k", "v1")));
        assertThat(write).isCompleted();
        assertThat(kv.applyThread).isSameAs(loop);
    }

    @Test
    void entriesThatReachASnapshotAreAppliedOnTheApplyThread() throws Exception {
        thread = applyThread(kv, 2);
        thread.start();
        thread.offer(entry(1, put("a", "1")));
        assertThat(kv.applyThread).isSameAs(loop);
        CompletableFuture<byte[]> second = new CompletableFuture<>();
        thread.offer(new ApplyTask.Expect(2, 1, second));
        thread.offer(entry(2, put("b", "2")));
        second.get(10, TimeUnit.SECONDS);
        assertThat(kv.applyThread.getName()).startsWith("raft-apply-");
    }

    @Test
    void aStateMachineSlowOnTheLoopIsHandedToTheApplyThreadForGood() throws Exception {
        TestKv slow = new TestKv();
        Hooked hooked = new Hooked(slow, index -> {
            if (index <= ApplyThread.SLOW_INLINE_LIMIT) {
                now.addAndGet(2 * LIMIT_NANOS); // each of these applies takes twice the limit
            }
        });
        thread = applyThread(hooked, NodeOptions.NO_SNAPSHOTS);
        thread.start();
        for (int i = 1; i <= ApplyThread.SLOW_INLINE_LIMIT; i++) {
            assertThat(thread.appliesOnLoop()).as("before slow task %d", i).isTrue();
            thread.offer(entry(i, put("k", "v" + i)));
            assertThat(slow.applyThread).isSameAs(loop);
        }
        assertThat(thread.appliesOnLoop()).isFalse();
        CompletableFuture<byte[]> write = new CompletableFuture<>();
        thread.offer(new ApplyTask.Expect(4, 1, write));
        thread.offer(entry(4, put("k", "v4")));
        assertThat(str(write.get(10, TimeUnit.SECONDS))).isEqualTo("v3");
        assertThat(slow.applyThread.getName()).startsWith("raft-apply-");
    }

    /** A collection or a preemption now and then that makes one apply slow does not add up to a verdict. */
    @Test
    void slowAppliesFarApartDoNotHandTheStateMachineOver() {
        Hooked hooked = new Hooked(kv, index -> now.addAndGet(2 * LIMIT_NANOS));
        thread = applyThread(hooked, NodeOptions.NO_SNAPSHOTS);
        thread.start();
        for (int i = 1; i <= 2 * ApplyThread.SLOW_INLINE_LIMIT; i++) {
            thread.offer(entry(i, put("k", "v" + i)));
            assertThat(kv.applyThread).as("apply %d", i).isSameAs(loop);
            now.addAndGet((ApplyThread.SLOW_INLINE_WINDOW + 1) * LIMIT_NANOS); // time passes between them
        }
        assertThat(thread.appliesOnLoop()).isTrue();
    }

    @Test
    void aStateMachineThatThrowsOnTheLoopStopsApplyingAndFailsTheNode() {
        TestKv broken = new TestKv();
        Hooked hooked = new Hooked(broken, index -> {
            if (index == 1) {
                throw new IllegalStateException("injected: apply failed");
            }
        });
        thread = applyThread(hooked, NodeOptions.NO_SNAPSHOTS);
        thread.start();
        thread.offer(entry(1, put("k", "v1")));
        assertThat(failures).singleElement().satisfies(t -> assertThat(t).hasMessageContaining("injected"));

        CompletableFuture<byte[]> later = new CompletableFuture<>();
        thread.offer(new ApplyTask.Expect(2, 1, later));
        thread.offer(entry(2, put("k", "v2")));
        assertThatThrownBy(() -> later.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(RaftException.class);
        assertThat(broken.lastIndex).as("nothing applied after the entry that failed").isZero();
    }

    @Test
    void aStaleReadAskedFromACallbackOnTheLoopWaitsForTheApplyThread() throws Exception {
        thread.start();
        AtomicReference<CompletableFuture<byte[]>> read = new AtomicReference<>();
        AtomicReference<Boolean> answeredInside = new AtomicReference<>();
        CompletableFuture<byte[]> write = new CompletableFuture<>();
        write.thenRun(() -> {
            CompletableFuture<byte[]> r = new CompletableFuture<>();
            read.set(r);
            thread.offer(new ApplyTask.ReadAt(0, "k".getBytes(StandardCharsets.UTF_8), r));
            answeredInside.set(r.isDone());
        });
        thread.offer(new ApplyTask.Expect(1, 1, write));
        thread.offer(entry(1, put("k", "v1")));
        assertThat(write).isCompleted();
        assertThat(answeredInside.get()).as("answered inside the task that asked (the applier re-entered)").isFalse();
        assertThat(str(read.get().get(10, TimeUnit.SECONDS))).isEqualTo("v1");
    }

    @Test
    void offTheLoopEveryTaskGoesToTheApplyThread() throws Exception {
        thread.start();
        CompletableFuture<byte[]> write = new CompletableFuture<>();
        CompletableFuture.runAsync(() -> {
            thread.offer(new ApplyTask.Expect(1, 1, write));
            thread.offer(entry(1, put("k", "v1")));
        }).get(10, TimeUnit.SECONDS);
        write.get(10, TimeUnit.SECONDS);
        assertThat(kv.applyThread.getName()).startsWith("raft-apply-");
    }

    /** A {@link TestKv} with {@code before} run ahead of each apply. */
    private static final class Hooked implements io.raftkit.core.StateMachine {
        private final TestKv kv;
        private final java.util.function.LongConsumer before;

        Hooked(TestKv kv, java.util.function.LongConsumer before) {
            this.kv = kv;
            this.before = before;
        }

        @Override
        public byte[] apply(long index, byte[] command) {
            before.accept(index);
            return kv.apply(index, command);
        }

        @Override
        public byte[] query(byte[] query) {
            return kv.query(query);
        }

        @Override
        public void writeSnapshot(java.io.OutputStream out) throws java.io.IOException {
            kv.writeSnapshot(out);
        }

        @Override
        public void restoreSnapshot(java.io.InputStream in) throws java.io.IOException {
            kv.restoreSnapshot(in);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
