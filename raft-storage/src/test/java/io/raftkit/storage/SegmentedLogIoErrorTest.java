package io.raftkit.storage;

import static io.raftkit.storage.TestEntries.await;
import static io.raftkit.storage.TestEntries.entries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkit.core.HardState;
import io.raftkit.core.SnapshotMeta;
import io.raftkit.core.Configuration;
import io.raftkit.storage.fs.FaultyFileSystem;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** I/O errors fail the affected writes with the file and cause, and fail the log until it is reopened. */
class SegmentedLogIoErrorTest {

    @TempDir
    Path dir;

    private final FaultyFileSystem fs = new FaultyFileSystem().target(".seg");

    private SegmentedLog open(SyncPolicy policy) throws IOException {
        return SegmentedLog.open(dir, SegmentedLogOptions.defaults().withSegmentBytes(64 * 1024)
                .withSyncPolicy(policy).withFileSystem(fs));
    }

    private SegmentedLog reopenHealthy() throws IOException {
        return SegmentedLog.open(dir, SegmentedLogOptions.defaults().withSegmentBytes(64 * 1024));
    }

    private static Throwable failureOf(CompletableFuture<Void> f) {
        assertThatThrownBy(() -> await(f)).isInstanceOf(ExecutionException.class);
        return f.handle((v, e) -> e).join();
    }

    @Test
    void aFailedFsyncFailsTheAppendNamingFileAndCauseAndIsNeverRetried() throws Exception {
        try (SegmentedLog log = open(SyncPolicy.DURABLE)) {
            await(log.append(entries(1, 1, 5)));
            fs.failForces("EIO: simulated fsync failure");
            Throwable e = failureOf(log.append(entries(1, 6, 8)));
            assertThat(e).isInstanceOf(IOException.class);
            assertThat(e.getMessage()).contains(".seg").contains("fsync").contains("EIO: simulated fsync failure");

            int forcesAfterFailure = fs.forces.get();
            fs.heal();
            Throwable refused = failureOf(log.append(entries(1, 9, 9)));
            assertThat(refused.getMessage()).contains("refuses writes until reopened").contains("EIO");
            assertThat(failureOf(log.saveHardState(new HardState(2, "n1", 0)))).isInstanceOf(IOException.class);
            assertThat(failureOf(log.append(List.of()))).isInstanceOf(IOException.class);
            assertThat(fs.forces.get()).as("a failed fsync is never retried").isEqualTo(forcesAfterFailure);
            assertThat(log.lastIndex()).isEqualTo(8);
            assertThat(log.entries(1, 9, Long.MAX_VALUE)).isEqualTo(entries(1, 1, 8));
        }
        try (SegmentedLog log = reopenHealthy()) {
            assertThat(log.lastIndex()).isBetween(5L, 8L);
            assertThat(log.entries(1, 6, Long.MAX_VALUE)).isEqualTo(entries(1, 1, 5));
            await(log.append(entries(2, 6, 6)));
        }
    }

    @Test
    void aTornWriteFailsTheAppendAndReopeningCutsTheTornRecord() throws Exception {
        try (SegmentedLog log = open(SyncPolicy.DURABLE)) {
            await(log.append(entries(1, 1, 3)));
            fs.tearWritesAfter(10, "ENOSPC: No space left on device");
            Throwable e = failureOf(log.append(entries(1, 4, 6)));
            assertThat(e.getMessage()).contains(".seg").contains("write").contains("No space left on device");
            assertThat(failureOf(log.truncateSuffix(2))).isInstanceOf(IOException.class);
        }
        fs.heal();
        try (SegmentedLog log = reopenHealthy()) {
            assertThat(log.lastIndex()).isEqualTo(3);
            assertThat(log.entries(1, 4, Long.MAX_VALUE)).isEqualTo(entries(1, 1, 3));
            await(log.append(entries(1, 4, 6)));
        }
        try (SegmentedLog log = reopenHealthy()) {
            assertThat(log.entries(1, 7, Long.MAX_VALUE)).isEqualTo(entries(1, 1, 6));
        }
    }

    @Test
    void aFailedHardStateSaveFailsAndTheOldValueSurvives() throws Exception {
        fs.target("hardstate");
        try (SegmentedLog log = open(SyncPolicy.DURABLE)) {
            await(log.saveHardState(new HardState(1, "n1", 0)));
            fs.failForces("EIO: hard state");
            Throwable e = failureOf(log.saveHardState(new HardState(2, "n2", 0)));
            assertThat(e.getMessage()).contains("hardstate").contains("EIO: hard state");
        }
        fs.heal();
        try (SegmentedLog log = reopenHealthy()) {
            assertThat(log.hardState()).isIn(new HardState(1, "n1", 0), new HardState(2, "n2", 0));
        }
    }

    @Test
    void anInterruptedCompactionIsFinishedWhenTheLogIsReopened() throws Exception {
        SnapshotMeta snap = new SnapshotMeta(3000, 1, Configuration.of("n1", "n2"));
        try (SegmentedLog log = open(SyncPolicy.DURABLE)) {
            await(log.append(entries(1, 1, 4000)));
            fs.failDeletes("EIO: delete");
            Throwable e = failureOf(log.compact(snap));
            assertThat(e.getMessage()).contains(".seg").contains("EIO: delete");
        }
        fs.heal();
        try (SegmentedLog log = reopenHealthy()) {
            assertThat(log.snapshotMeta()).isEqualTo(snap);
            assertThat(log.firstIndex()).isEqualTo(3001);
            assertThat(log.term(3000)).isEqualTo(1);
            assertThat(log.entries(3001, 4001, Long.MAX_VALUE)).isEqualTo(entries(1, 3001, 4000));
        }
        long segmentsLeft = java.nio.file.Files.list(dir).filter(p -> p.toString().endsWith(".seg")).count();
        assertThat(segmentsLeft).isLessThanOrEqualTo(2);
    }

    @Test
    void appendsQueuedBehindAnFsyncShareOneWriteAndOneFsync() throws Exception {
        try (SegmentedLog log = open(SyncPolicy.DURABLE)) {
            await(log.append(entries(1, 1, 1)));
            CountDownLatch gate = new CountDownLatch(1);
            fs.holdForces(gate);
            CompletableFuture<Void> first = log.append(entries(1, 2, 2));
            fs.awaitHeldForce();
            int forces = fs.forces.get();
            int writes = fs.writes.get();
            List<CompletableFuture<Void>> queued = new ArrayList<>();
            for (long i = 3; i <= 202; i++) {
                queued.add(log.append(entries(1, i, i)));
            }
            gate.countDown();
            await(first);
            for (CompletableFuture<Void> f : queued) {
                await(f);
            }
            assertThat(fs.forces.get() - forces).as("fsyncs for the held batch and the 200 queued appends").isEqualTo(2);
            assertThat(fs.writes.get() - writes).as("write calls for the 200 queued appends").isEqualTo(1);
        }
    }

    @Test
    void theNoSyncPolicyNeverForces() throws Exception {
        try (SegmentedLog log = open(SyncPolicy.NONE)) {
            await(log.append(entries(1, 1, 100)));
            await(log.saveHardState(new HardState(1, null, 0)));
            await(log.truncateSuffix(50));
        }
        assertThat(fs.forces.get()).isZero();
    }

    @Test
    void withinABatchSegmentDataAndHardStateAreForcedInSubmissionOrder() throws Exception {
        fs.target(""); // every file
        try (SegmentedLog log = open(SyncPolicy.DURABLE)) {
            await(log.append(entries(1, 1, 1)));
            CountDownLatch gate = new CountDownLatch(1);
            fs.holdForces(gate);
            CompletableFuture<Void> held = log.append(entries(1, 2, 2));
            fs.awaitHeldForce();
            List<CompletableFuture<Void>> batch = List.of(
                    log.append(entries(1, 3, 3)),
                    log.saveHardState(new HardState(2, "n1", 0)),
                    log.append(entries(2, 4, 4)));
            fs.forced.clear();
            gate.countDown();
            await(held);
            for (CompletableFuture<Void> f : batch) {
                await(f);
            }
            assertThat(fs.forced).map(n -> n.endsWith(".seg") ? "segment" : n)
                    .containsExactly("segment", "segment", "hardstate", "segment");
        }
    }
}
