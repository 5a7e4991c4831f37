package io.raftkit.storage;

import static io.raftkit.storage.TestEntries.await;
import static io.raftkit.storage.TestEntries.entries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.raftkit.storage.fs.FaultyFileSystem;
import io.raftkit.storage.fs.FileSystem;
import io.raftkit.storage.fs.StorageFile;
import io.raftkit.storage.segment.SegmentFile;
import io.raftkit.storage.segment.SegmentFiles;
import io.raftkit.storage.segment.SegmentScanner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Segment preallocation (zeros written ahead of the records) and what recovery makes of zeros: the
 * normal zero-filled end of the active segment, a zero hole left by a machine crash that reordered the
 * pages of an unacknowledged batch, and zeros where they can only mean damage.
 */
class SegmentPreallocationTest {

    private static final SegmentedLogOptions SMALL =
            SegmentedLogOptions.defaults().withSegmentBytes(8192).withPreallocationBytes(4096);

    @TempDir
    Path dir;

    private List<SegmentFile> segments() throws IOException {
        return SegmentFiles.list(FileSystem.nio(), dir);
    }

    private static SegmentScanner.Result scan(SegmentFile f) throws IOException {
        try (StorageFile file = FileSystem.nio().openReadOnly(f.path())) {
            return SegmentScanner.scan(file, f, true, Integer.MAX_VALUE, (off, t, i, type, n) -> {});
        }
    }

    private static List<Long> recordOffsets(SegmentFile f) throws IOException {
        List<Long> offsets = new java.util.ArrayList<>();
        try (StorageFile file = FileSystem.nio().openReadOnly(f.path())) {
            SegmentScanner.scan(file, f, true, Integer.MAX_VALUE, (off, t, i, type, n) -> offsets.add(off));
        }
        return offsets;
    }

    private void write(SegmentedLogOptions options, long count) throws Exception {
        try (SegmentedLog log = SegmentedLog.open(dir, options)) {
            for (long i = 1; i <= count; i += 10) {
                await(log.append(entries(1, i, Math.min(count, i + 9))));
            }
        }
    }

    private void assertReadable(SegmentedLogOptions options, long lastIndex) throws Exception {
        try (SegmentedLog log = SegmentedLog.open(dir, options)) {
            assertThat(log.lastIndex()).isEqualTo(lastIndex);
            assertThat(log.entries(1, lastIndex + 1, Long.MAX_VALUE)).isEqualTo(entries(1, 1, lastIndex));
        }
    }

    @Test
    void theActiveSegmentIsZeroFilledAheadAndSealedSegmentsEndAtTheirLastRecord() throws Exception {
        write(SMALL, 1000);
        List<SegmentFile> segs = segments();
        assertThat(segs).hasSizeGreaterThan(2);
        for (SegmentFile sealed : segs.subList(0, segs.size() - 1)) {
            long size = Files.size(sealed.path());
            assertThat(size).as("sealed %s", sealed).isEqualTo(scan(sealed).validBytes()).isGreaterThanOrEqualTo(8192);
        }
        SegmentFile active = segs.get(segs.size() - 1);
        SegmentScanner.Result r = scan(active);
        assertThat(r.zeroFilledTail()).isTrue();
        assertThat(r.fileBytes()).isGreaterThan(r.validBytes()).isLessThanOrEqualTo(8192);
        assertReadable(SMALL, 1000);
    }

    @Test
    void withPreallocationOffEverySegmentEndsAtItsLastRecord() throws Exception {
        write(SMALL.withPreallocationBytes(0), 1000);
        for (SegmentFile s : segments()) {
            assertThat(Files.size(s.path())).isEqualTo(scan(s).validBytes());
        }
        assertReadable(SMALL, 1000);
    }

    @Test
    void reopeningCutsThePreallocatedZerosAndAppendsFillThemAgain() throws Exception {
        write(SMALL, 30);
        SegmentFile seg = segments().get(0);
        try (SegmentedLog log = SegmentedLog.open(dir, SMALL)) {
            assertThat(Files.size(seg.path())).isEqualTo(scan(seg).validBytes());
            await(log.append(entries(1, 31, 40)));
            assertThat(Files.size(seg.path())).isGreaterThan(scan(seg).validBytes());
        }
        assertReadable(SMALL, 40);
    }

    @Test
    void aDiskFullWhileZeroFillingFailsTheAppendAndTheLogStaysRecoverable() throws Exception {
        FaultyFileSystem fs = new FaultyFileSystem().target(".seg");
        SegmentedLogOptions options = SMALL.withFileSystem(fs);
        try (SegmentedLog log = SegmentedLog.open(dir, options)) {
            // Room for the header and the records of this append, not for the zeros that follow them.
            fs.tearWritesAfter(1000, "ENOSPC: No space left on device");
            Throwable e = catchThrowable(() -> log.append(entries(1, 1, 3)).get(30, java.util.concurrent.TimeUnit.SECONDS));
            assertThat(e).hasRootCauseInstanceOf(IOException.class);
            assertThat(e.getCause().getMessage()).contains("zero-fill of").contains(".seg")
                    .contains("No space left on device");
            assertThat(catchThrowable(() -> log.append(entries(1, 4, 4)).get(30, java.util.concurrent.TimeUnit.SECONDS)))
                    .hasMessageContaining("refuses writes until reopened");
        }
        fs.heal();
        // Records that reached the file before the failure may survive: they were never acknowledged, so
        // either outcome is allowed; what must hold is a clean open and a log that takes writes again.
        try (SegmentedLog log = SegmentedLog.open(dir, options)) {
            long last = log.lastIndex();
            assertThat(last).isIn(0L, 3L);
            await(log.append(entries(1, last + 1, last + 2)));
            assertThat(log.entries(1, last + 3, Long.MAX_VALUE)).isEqualTo(entries(1, 1, last + 2));
        }
    }

    @Test
    void aZeroHoleInTheLastBatchIsCutWithEverythingAfterIt() throws Exception {
        // A machine crash may persist a later page of an unacknowledged batch and not an earlier one.
        write(SMALL, 5);
        SegmentFile seg = segments().get(0);
        List<Long> offsets = recordOffsets(seg);
        byte[] b = Files.readAllBytes(seg.path());
        Arrays.fill(b, offsets.get(3).intValue(), offsets.get(4).intValue(), (byte) 0);
        Files.write(seg.path(), b);
        SegmentScanner.Result r = scan(seg);
        assertThat(r.tornReason()).contains("unwritten (all-zero) record header");
        assertReadable(SMALL, 3);
        assertThat(Files.size(seg.path())).isEqualTo(offsets.get(3));
    }

    @Test
    void aZeroHoleInASealedSegmentFailsOpenNamingFileAndOffset() throws Exception {
        write(SMALL, 1000);
        SegmentFile sealed = segments().get(0);
        List<Long> offsets = recordOffsets(sealed);
        long hole = offsets.get(10);
        byte[] b = Files.readAllBytes(sealed.path());
        Arrays.fill(b, (int) hole, offsets.get(11).intValue(), (byte) 0);
        Files.write(sealed.path(), b);
        Throwable t = catchThrowable(() -> SegmentedLog.open(dir, SMALL).close());
        assertThat(t).isInstanceOf(CorruptLogException.class);
        assertThat(((CorruptLogException) t).file()).isEqualTo(sealed.path());
        assertThat(((CorruptLogException) t).offset()).isEqualTo(hole);
    }

    @Test
    void zerosAfterTheLastRecordOfASealedSegmentAreAcceptedWhenTheNextSegmentCarriesOn() throws Exception {
        write(SMALL, 1000);
        SegmentFile sealed = segments().get(1);
        Files.write(sealed.path(), new byte[3000], StandardOpenOption.APPEND);
        assertReadable(SMALL, 1000);
    }

    @Test
    void zerosInASealedSegmentDoNotHideAMissingSegment() throws Exception {
        write(SMALL, 1000);
        List<SegmentFile> segs = segments();
        Files.write(segs.get(1).path(), new byte[3000], StandardOpenOption.APPEND);
        Files.delete(segs.get(2).path());
        Throwable t = catchThrowable(() -> SegmentedLog.open(dir, SMALL).close());
        assertThat(t).isInstanceOf(CorruptLogException.class).hasMessageContaining("missing");
        assertThat(((CorruptLogException) t).file()).isEqualTo(segs.get(3).path());
    }
}
