package io.raftkit.storage;

import static io.raftkit.storage.TestEntries.appendHundredBytesThrough;
import static io.raftkit.storage.TestEntries.await;
import static io.raftkit.storage.TestEntries.hundredBytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.storage.fs.FaultyFileSystem;
import io.raftkit.storage.fs.FileSystem;
import io.raftkit.storage.segment.SegmentFile;
import io.raftkit.storage.segment.SegmentFiles;
import io.raftkit.storage.segment.SegmentFormat;
import io.raftkit.storage.segment.SegmentPreparer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The next segment's file, prepared ahead ({@link SegmentPreparer}): a roll adopts it, what a crash can
 * leave of it is cleaned up on open, and a failure to prepare never fails the log.
 */
class SegmentPreparationTest {

    private static final long SEGMENT = 64 * 1024;
    private static final int PAYLOAD = TestEntries.HUNDRED;
    private static final long RECORD = PAYLOAD + SegmentFormat.RECORD_HEADER_BYTES;
    /** Entries past which the writer asks for the next file: an eighth of the segment. */
    private static final long EIGHTH = SEGMENT / 8 / RECORD + 1;
    /** Entries that fill the first segment (its header included) and start the second. */
    private static final long FIRST_SEGMENT = (SEGMENT - SegmentFormat.HEADER_BYTES) / RECORD + 2;

    @TempDir
    Path dir;

    private static SegmentedLogOptions options(FileSystem fs) {
        return SegmentedLogOptions.defaults().withSegmentBytes(SEGMENT).withPreallocationBytes(4096).withFileSystem(fs);
    }

    private static void awaitPrepared(SegmentedLog log) throws InterruptedException {
        assertThat(log.awaitNextSegmentPrepared(TimeUnit.SECONDS.toNanos(30))).as("the next segment is prepared").isTrue();
    }

    private List<SegmentFile> segments() throws IOException {
        return SegmentFiles.list(FileSystem.nio(), dir);
    }

    private Path preparedFile() {
        return dir.resolve(SegmentPreparer.FILE_NAME);
    }

    private void assertReopensWith(long lastIndex) throws IOException {
        try (SegmentedLog log = SegmentedLog.open(dir, options(FileSystem.nio()))) {
            assertThat(log.lastIndex()).isEqualTo(lastIndex);
            assertThat(log.entries(1, lastIndex + 1, Long.MAX_VALUE)).isEqualTo(hundredBytes(1, lastIndex));
        }
        assertThat(preparedFile()).doesNotExist();
    }

    @Test
    void aRollAdoptsThePreparedFileSoTheNewSegmentIsZeroFilledToItsFullSize() throws Exception {
        try (SegmentedLog log = SegmentedLog.open(dir, options(FileSystem.nio()))) {
            appendHundredBytesThrough(log, EIGHTH + 50);
            awaitPrepared(log);
            assertThat(Files.size(preparedFile())).isEqualTo(SEGMENT);

            appendHundredBytesThrough(log, FIRST_SEGMENT + 10);
            List<SegmentFile> segs = segments();
            assertThat(segs).hasSize(2);
            assertThat(preparedFile()).as("taken by the roll").doesNotExist();
            // A created segment would hold its records plus one 4 KiB step of zeros; the adopted one holds
            // the whole segment's zeros from the start.
            assertThat(Files.size(segs.get(1).path())).isEqualTo(SEGMENT);
            assertThat(Files.size(segs.get(0).path())).as("sealed: ends at its last record").isLessThan(SEGMENT + RECORD);
        }
        assertReopensWith(FIRST_SEGMENT + 10);
        SegmentFile second = segments().get(1);
        assertThat(Files.size(second.path())).as("zeros after the last record cut on open")
                .isEqualTo(SegmentFormat.HEADER_BYTES + (FIRST_SEGMENT + 10 - second.firstIndex() + 1) * RECORD);
    }

    @Test
    void aLogThatNeverFillsAnEighthOfASegmentPreparesNothing() throws Exception {
        try (SegmentedLog log = SegmentedLog.open(dir, options(FileSystem.nio()))) {
            appendHundredBytesThrough(log, EIGHTH - 2);
            assertThat(log.nextSegmentPrepared()).isFalse();
            assertThat(preparedFile()).doesNotExist();
        }
    }

    @Test
    void theNoSyncPolicyPreparesNothing() throws Exception {
        try (SegmentedLog log = SegmentedLog.open(dir, options(FileSystem.nio()).withSyncPolicy(SyncPolicy.NONE))) {
            appendHundredBytesThrough(log, 3 * FIRST_SEGMENT);
            assertThat(log.nextSegmentPrepared()).isFalse();
            assertThat(preparedFile()).doesNotExist();
        }
    }

    @Test
    void closingDeletesAPreparedFileNobodyTook() throws Exception {
        try (SegmentedLog log = SegmentedLog.open(dir, options(FileSystem.nio()))) {
            appendHundredBytesThrough(log, EIGHTH + 50);
            awaitPrepared(log);
        }
        assertThat(preparedFile()).doesNotExist();
        assertReopensWith(EIGHTH + 50);
    }

    @Test
    void closingWhileAFileIsBeingPreparedWaitsForItAndLeavesNoFile() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        FaultyFileSystem fs = new FaultyFileSystem().target(SegmentPreparer.FILE_NAME).holdForces(gate);
        SegmentedLog log = SegmentedLog.open(dir, options(fs));
        appendHundredBytesThrough(log, EIGHTH + 50);
        fs.awaitHeldForce(); // the preparer is inside its fsync
        CompletableFuture<Void> closed = CompletableFuture.runAsync(log::close);
        gate.countDown();
        closed.get();
        assertThat(preparedFile()).doesNotExist();
        assertReopensWith(EIGHTH + 50);
    }

    @Test
    void aFailedPreparationIsLoggedAndTheLogCreatesItsSegmentsAsBefore() throws Exception {
        FaultyFileSystem fs = new FaultyFileSystem().target(SegmentPreparer.FILE_NAME)
                .tearWritesAfter(10_000, "ENOSPC: simulated disk full");
        try (SegmentedLog log = SegmentedLog.open(dir, options(fs))) {
            appendHundredBytesThrough(log, 3 * FIRST_SEGMENT);
            assertThat(log.nextSegmentPrepared()).isFalse();
            assertThat(preparedFile()).as("the partial file is deleted").doesNotExist();
            assertThat(segments()).hasSizeGreaterThanOrEqualTo(3);
            assertThat(log.entries(1, 3 * FIRST_SEGMENT + 1, Long.MAX_VALUE)).isEqualTo(hundredBytes(1, 3 * FIRST_SEGMENT));
        }
        assertReopensWith(3 * FIRST_SEGMENT);
    }

    @Test
    void aPreparedFileLeftByACrashIsDeletedOnOpen() throws Exception {
        try (SegmentedLog log = SegmentedLog.open(dir, options(FileSystem.nio()))) {
            appendHundredBytesThrough(log, 20);
        }
        // A crash in the middle of preparing: a short file of zeros.
        Files.write(preparedFile(), new byte[12_345]);
        assertReopensWith(20);
    }

    @Test
    void aCrashRightAfterTheRenameLeavesASegmentOfZerosThatIsDeletedOnOpen() throws Exception {
        try (SegmentedLog log = SegmentedLog.open(dir, options(FileSystem.nio()))) {
            appendHundredBytesThrough(log, FIRST_SEGMENT + 10);
        }
        // The roll renamed the prepared file into place, but neither its header nor its records reached
        // the disk: the last segment is nothing but zeros.
        SegmentFile next = SegmentFiles.of(dir, FIRST_SEGMENT + 11, segments().get(1).segmentId() + 1);
        Files.write(next.path(), new byte[(int) SEGMENT]);
        assertReopensWith(FIRST_SEGMENT + 10);
        assertThat(next.path()).doesNotExist();
    }
}
