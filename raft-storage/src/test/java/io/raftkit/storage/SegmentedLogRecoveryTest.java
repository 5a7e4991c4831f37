package io.raftkit.storage;

import static io.raftkit.storage.TestEntries.await;
import static io.raftkit.storage.TestEntries.entries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkit.core.HardState;
import io.raftkit.storage.fs.FileSystem;
import io.raftkit.storage.fs.StorageFile;
import io.raftkit.storage.segment.SegmentFile;
import io.raftkit.storage.segment.SegmentFiles;
import io.raftkit.storage.segment.SegmentScanner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recovery table of FORMAT.md: each case damages the files the way a crash or a bad disk would and
 * checks the exact outcome, either the tail cut back to the last intact record or an error naming
 * the file and byte offset.
 */
class SegmentedLogRecoveryTest {

    @TempDir
    Path dir;

    private static final SegmentedLogOptions ONE_SEGMENT = SegmentedLogOptions.defaults();
    private static final SegmentedLogOptions SMALL_SEGMENTS = SegmentedLogOptions.defaults().withSegmentBytes(1024);

    private void write(SegmentedLogOptions options, long count) throws Exception {
        try (SegmentedLog log = SegmentedLog.open(dir, options)) {
            await(log.append(entries(1, 1, count)));
        }
    }

    private List<SegmentFile> segments() throws IOException {
        return SegmentFiles.list(FileSystem.nio(), dir);
    }

    private static List<Long> recordOffsets(SegmentFile f) throws IOException {
        List<Long> offsets = new ArrayList<>();
        try (StorageFile file = FileSystem.nio().openReadOnly(f.path())) {
            SegmentScanner.scan(file, f, true, Integer.MAX_VALUE, (off, t, i, type, n) -> offsets.add(off));
        }
        return offsets;
    }

    /** Where the records of {@code f} end; preallocated zeros may follow. */
    private static long dataEnd(SegmentFile f) throws IOException {
        try (StorageFile file = FileSystem.nio().openReadOnly(f.path())) {
            return SegmentScanner.scan(file, f, true, Integer.MAX_VALUE, (off, t, i, type, n) -> {}).validBytes();
        }
    }

    private static void flipBit(Path p, long offset) throws IOException {
        byte[] b = Files.readAllBytes(p);
        b[(int) offset] ^= 0x10;
        Files.write(p, b);
    }

    private void assertRecoversTo(SegmentedLogOptions options, long lastIndex) throws Exception {
        try (SegmentedLog log = SegmentedLog.open(dir, options)) {
            assertThat(log.lastIndex()).isEqualTo(lastIndex);
            assertThat(log.entries(1, lastIndex + 1, Long.MAX_VALUE)).isEqualTo(entries(1, 1, lastIndex));
            await(log.append(entries(2, lastIndex + 1, lastIndex + 1)));
        }
        try (SegmentedLog log = SegmentedLog.open(dir, options)) {
            assertThat(log.lastIndex()).isEqualTo(lastIndex + 1);
            assertThat(log.term(lastIndex + 1)).isEqualTo(2);
        }
    }

    private CorruptLogException openFails(SegmentedLogOptions options) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> SegmentedLog.open(dir, options).close());
        assertThat(t).isInstanceOf(CorruptLogException.class);
        return (CorruptLogException) t;
    }

    @Test
    void cuttingTheLastRecordAtAnyByteRecoversToTheRecordBefore() throws Exception {
        write(ONE_SEGMENT, 5);
        SegmentFile seg = segments().get(0);
        byte[] full = Arrays.copyOf(Files.readAllBytes(seg.path()), (int) dataEnd(seg));
        long last = recordOffsets(seg).get(4);
        for (long cut = last; cut < full.length; cut++) {
            Files.write(seg.path(), Arrays.copyOf(full, (int) cut));
            try (SegmentedLog log = SegmentedLog.open(dir, ONE_SEGMENT)) {
                assertThat(log.lastIndex()).as("cut at byte %d", cut).isEqualTo(4);
                assertThat(log.entries(1, 5, Long.MAX_VALUE)).isEqualTo(entries(1, 1, 4));
            }
            assertThat(Files.size(seg.path())).as("torn bytes are removed, cut at %d", cut).isEqualTo(last);
        }
    }

    @Test
    void aChecksumMismatchOnTheLastRecordIsATornTail() throws Exception {
        write(ONE_SEGMENT, 5);
        SegmentFile seg = segments().get(0);
        flipBit(seg.path(), dataEnd(seg) - 1);
        assertRecoversTo(ONE_SEGMENT, 4);
    }

    @Test
    void zeroFilledSpaceAfterTheLastRecordIsCut() throws Exception {
        write(ONE_SEGMENT, 5);
        SegmentFile seg = segments().get(0);
        long end = dataEnd(seg);
        Files.write(seg.path(), new byte[8192], java.nio.file.StandardOpenOption.APPEND);
        assertThat(Files.size(seg.path())).as("preallocated zeros and more").isGreaterThan(end + 8192);
        assertRecoversTo(ONE_SEGMENT, 5);
        assertThat(recordOffsets(seg)).hasSize(6);
    }

    @Test
    void aLastRecordOverwrittenWithZerosIsATornTail() throws Exception {
        write(ONE_SEGMENT, 5);
        SegmentFile seg = segments().get(0);
        long last = recordOffsets(seg).get(4);
        byte[] b = Files.readAllBytes(seg.path());
        Arrays.fill(b, (int) last, b.length, (byte) 0);
        Files.write(seg.path(), b);
        assertRecoversTo(ONE_SEGMENT, 4);
    }

    @Test
    void aFlippedBitInTheMiddleOfTheLastSegmentFailsOpenNamingFileAndOffset() throws Exception {
        write(ONE_SEGMENT, 5);
        SegmentFile seg = segments().get(0);
        long third = recordOffsets(seg).get(2);
        flipBit(seg.path(), third + 30);
        CorruptLogException e = openFails(ONE_SEGMENT);
        assertThat(e.file()).isEqualTo(seg.path());
        assertThat(e.offset()).isEqualTo(third);
        assertThat(e.getMessage()).contains(seg.path().getFileName().toString()).contains("at byte " + third)
                .contains("checksum");
    }

    @Test
    void aFlippedBitInTheLastRecordOfASealedSegmentFailsOpen() throws Exception {
        write(SMALL_SEGMENTS, 200);
        List<SegmentFile> segs = segments();
        assertThat(segs).hasSizeGreaterThan(3);
        SegmentFile sealed = segs.get(1);
        List<Long> offsets = recordOffsets(sealed);
        long lastRecord = offsets.get(offsets.size() - 1);
        flipBit(sealed.path(), dataEnd(sealed) - 1);
        CorruptLogException e = openFails(SMALL_SEGMENTS);
        assertThat(e.file()).isEqualTo(sealed.path());
        assertThat(e.offset()).isEqualTo(lastRecord);
    }

    @Test
    void aSealedSegmentCutShortFailsOpen() throws Exception {
        write(SMALL_SEGMENTS, 200);
        SegmentFile sealed = segments().get(0);
        long size = Files.size(sealed.path());
        Files.write(sealed.path(), Arrays.copyOf(Files.readAllBytes(sealed.path()), (int) size - 3));
        CorruptLogException e = openFails(SMALL_SEGMENTS);
        assertThat(e.file()).isEqualTo(sealed.path());
    }

    @Test
    void aMissingMiddleSegmentFailsOpenNamingTheSegmentAfterTheGap() throws Exception {
        write(SMALL_SEGMENTS, 200);
        List<SegmentFile> segs = segments();
        Files.delete(segs.get(1).path());
        CorruptLogException e = openFails(SMALL_SEGMENTS);
        assertThat(e.file()).isEqualTo(segs.get(2).path());
        assertThat(e.getMessage()).contains("missing");
    }

    @Test
    void aMissingFirstSegmentFailsOpen() throws Exception {
        write(SMALL_SEGMENTS, 200);
        List<SegmentFile> segs = segments();
        Files.delete(segs.get(0).path());
        CorruptLogException e = openFails(SMALL_SEGMENTS);
        assertThat(e.file()).isEqualTo(segs.get(1).path());
    }

    @Test
    void aSegmentOutOfSequenceFailsOpen() throws Exception {
        write(SMALL_SEGMENTS, 200);
        List<SegmentFile> segs = segments();
        SegmentFile second = segs.get(1);
        Path renamed = SegmentFiles.of(dir, second.firstIndex() + 1, second.segmentId()).path();
        Files.move(second.path(), renamed);
        CorruptLogException e = openFails(SMALL_SEGMENTS);
        assertThat(e.file()).isEqualTo(renamed);
    }

    @Test
    void anUnknownFormatVersionFailsOpen() throws Exception {
        write(SMALL_SEGMENTS, 200);
        SegmentFile first = segments().get(0);
        byte[] b = Files.readAllBytes(first.path());
        b[8] = 0;
        b[9] = 3;
        Files.write(first.path(), b);
        CorruptLogException e = openFails(SMALL_SEGMENTS);
        assertThat(e.file()).isEqualTo(first.path());
        assertThat(e.offset()).isEqualTo(8);
        assertThat(e.getMessage()).contains("unknown segment format version 3");
    }

    @Test
    void aBadMagicFailsOpenEvenInTheLastSegment() throws Exception {
        write(ONE_SEGMENT, 5);
        SegmentFile seg = segments().get(0);
        flipBit(seg.path(), 0);
        CorruptLogException e = openFails(ONE_SEGMENT);
        assertThat(e.file()).isEqualTo(seg.path());
        assertThat(e.getMessage()).contains("bad magic");
    }

    @Test
    void aNewSegmentWhoseHeaderNeverReachedTheDiskIsRemoved() throws Exception {
        write(SMALL_SEGMENTS, 200);
        List<SegmentFile> segs = segments();
        SegmentFile last = segs.get(segs.size() - 1);
        Path torn = SegmentFiles.of(dir, 201, last.segmentId() + 1).path();
        Files.write(torn, new byte[10]);
        assertRecoversTo(SMALL_SEGMENTS, 200);
        assertThat(torn).doesNotExist();
    }

    @Test
    void aTornHardStateSlotFallsBackToThePreviousValue() throws Exception {
        try (SegmentedLog log = SegmentedLog.open(dir, ONE_SEGMENT)) {
            await(log.saveHardState(new HardState(1, "n1", 3)));
            await(log.saveHardState(new HardState(2, "n2", 4)));
        }
        // The second save (sequence 2) went to slot 0.
        flipBit(dir.resolve(HardStateFile.NAME), 30);
        try (SegmentedLog log = SegmentedLog.open(dir, ONE_SEGMENT)) {
            assertThat(log.hardState()).isEqualTo(new HardState(1, "n1", 3));
        }
    }

    @Test
    void twoDamagedHardStateSlotsFailOpen() throws Exception {
        try (SegmentedLog log = SegmentedLog.open(dir, ONE_SEGMENT)) {
            await(log.saveHardState(new HardState(1, "n1", 3)));
            await(log.saveHardState(new HardState(2, "n2", 4)));
        }
        flipBit(dir.resolve(HardStateFile.NAME), 30);
        flipBit(dir.resolve(HardStateFile.NAME), HardStateFile.SLOT_BYTES + 30);
        CorruptLogException e = openFails(ONE_SEGMENT);
        assertThat(e.file()).isEqualTo(dir.resolve(HardStateFile.NAME));
    }

    @Test
    void anImpossibleRecordLengthInTheLastSegmentFailsOpen() throws Exception {
        write(ONE_SEGMENT, 5);
        SegmentFile seg = segments().get(0);
        long third = recordOffsets(seg).get(2);
        byte[] b = Files.readAllBytes(seg.path());
        b[(int) third] = 0x7F; // length becomes about 2 GiB, beyond the format's limit
        Files.write(seg.path(), b);
        CorruptLogException e = openFails(ONE_SEGMENT);
        assertThat(e.offset()).isEqualTo(third);
        assertThat(e.getMessage()).contains("exceeds the maximum record size");
    }

    @Test
    void loweringTheMaximumRecordSizeNeverCutsStoredEntries() throws Exception {
        try (SegmentedLog log = SegmentedLog.open(dir, ONE_SEGMENT)) {
            await(log.append(List.of(io.raftkit.core.Entry.command(1, 1, new byte[5000]))));
        }
        try (SegmentedLog log = SegmentedLog.open(dir, ONE_SEGMENT.withMaxRecordBytes(100))) {
            assertThat(log.lastIndex()).isEqualTo(1);
            assertThat(log.entries(1, 2, Long.MAX_VALUE).get(0).data()).hasSize(5000);
        }
    }
}
