package io.raftkit.storage;

import static io.raftkit.storage.TestEntries.appendHundredBytesThrough;
import static io.raftkit.storage.TestEntries.await;
import static io.raftkit.storage.TestEntries.hundredBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.raftkit.core.Configuration;
import io.raftkit.core.Entry;
import io.raftkit.core.SnapshotMeta;
import io.raftkit.storage.fs.FileSystem;
import io.raftkit.storage.fs.StorageFile;
import io.raftkit.storage.segment.SegmentFile;
import io.raftkit.storage.segment.SegmentFiles;
import io.raftkit.storage.segment.SegmentFormat;
import io.raftkit.storage.segment.SegmentHeader;
import io.raftkit.storage.segment.SegmentPreparer;
import io.raftkit.storage.segment.SegmentScanner;
import io.raftkit.storage.tools.WalDump;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compacted segments kept as spares and overwritten by later segments (FORMAT.md §2): a roll reuses
 * one, the earlier records left in it are never taken for the new segment's, and recovery tells that
 * stale tail from a torn write and from corruption. Also version-1 segments, which have no checksum
 * seed, are still read and appended to.
 */
class SegmentRecyclingTest {

    private static final long SEGMENT = 64 * 1024;
    private static final int PAYLOAD = TestEntries.HUNDRED;
    private static final long RECORD = PAYLOAD + SegmentFormat.RECORD_HEADER_BYTES;
    /** Entries that fill one segment. */
    private static final long PER_SEGMENT = (SEGMENT - SegmentFormat.HEADER_BYTES) / RECORD + 1;

    @TempDir
    Path dir;

    private static SegmentedLogOptions options() {
        return SegmentedLogOptions.defaults().withSegmentBytes(SEGMENT).withPreallocationBytes(4096);
    }

    private List<SegmentFile> segments() throws IOException {
        return SegmentFiles.list(FileSystem.nio(), dir);
    }

    private static SegmentHeader header(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        return SegmentFormat.readHeader(ByteBuffer.wrap(b, 0, SegmentFormat.HEADER_BYTES), file);
    }

    private static SegmentScanner.Result scan(SegmentFile f) throws IOException {
        try (StorageFile file = FileSystem.nio().openReadOnly(f.path())) {
            return SegmentScanner.scan(file, f, true, Integer.MAX_VALUE, (off, t, i, type, n) -> {});
        }
    }

    private static List<Long> recordOffsets(SegmentFile f) throws IOException {
        List<Long> offsets = new ArrayList<>();
        try (StorageFile file = FileSystem.nio().openReadOnly(f.path())) {
            SegmentScanner.scan(file, f, true, Integer.MAX_VALUE, (off, t, i, type, n) -> offsets.add(off));
        }
        return offsets;
    }

    private Path spare(int n) {
        return dir.resolve(SegmentPreparer.SPARE_PREFIX + n);
    }

    /** Where the log ends once the first segment after compaction was started in a spare. */
    private long recycledEnd;

    /**
     * Fills four segments, compacts the first two away (they become the two spares), then appends into a
     * fifth segment, which reuses the first spare. Returns the recycled segment; the log stays open.
     */
    private SegmentFile recycle(SegmentedLog log, byte[][] spareBytes) throws Exception {
        appendHundredBytesThrough(log, 4 * PER_SEGMENT - 10);
        List<SegmentFile> before = segments();
        assertThat(before).hasSizeGreaterThanOrEqualTo(4);
        long boundary = before.get(2).firstIndex() - 1;
        await(log.compact(new SnapshotMeta(boundary, 1, Configuration.of("n1"))));
        assertThat(spare(0)).as("the oldest compacted segment, kept").exists();
        assertThat(spare(1)).exists();
        assertThat(segments()).doesNotContain(before.get(0), before.get(1));
        if (spareBytes != null) {
            spareBytes[0] = Files.readAllBytes(spare(0));
        }
        recycledEnd = 5 * PER_SEGMENT - 60;
        appendHundredBytesThrough(log, recycledEnd);
        List<SegmentFile> after = segments();
        SegmentFile recycled = after.get(after.size() - 1);
        assertThat(recycled.firstIndex()).isLessThan(recycledEnd);
        assertThat(spare(0)).as("taken by the roll").doesNotExist();
        assertThat(spare(1)).exists();
        return recycled;
    }

    private SegmentFile recycleAndClose() throws Exception {
        try (SegmentedLog log = SegmentedLog.open(dir, options())) {
            return recycle(log, null);
        }
    }

    /** Damages the payload of the record at {@code offset}: only its checksum can tell. */
    private static void flipPayloadBit(SegmentFile f, long offset) throws IOException {
        byte[] b = Files.readAllBytes(f.path());
        b[(int) (offset + SegmentFormat.RECORD_HEADER_BYTES + 7)] ^= 0x10;
        Files.write(f.path(), b);
    }

    @Test
    void aRollReusesACompactedSegmentAndReopeningCutsWhatItStillHeld() throws Exception {
        SegmentFile recycled;
        try (SegmentedLog log = SegmentedLog.open(dir, options())) {
            recycled = recycle(log, null);
            SegmentHeader h = header(recycled.path());
            assertThat(h.recycled()).isTrue();
            assertThat(h.version()).isEqualTo(SegmentFormat.VERSION);
            long records = recycledEnd - recycled.firstIndex() + 1;
            long dataEnd = SegmentFormat.HEADER_BYTES + records * RECORD;
            assertThat(Files.size(recycled.path())).as("an earlier segment's records still follow")
                    .isGreaterThan(dataEnd + RECORD);
            SegmentScanner.Result r = scan(recycled);
            assertThat(r.records()).isEqualTo(records);
            assertThat(r.recycledTail()).isTrue();
            assertThat(log.entries(log.firstIndex(), recycledEnd + 1, Long.MAX_VALUE))
                    .isEqualTo(hundredBytes(log.firstIndex(), recycledEnd));

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThat(WalDump.dump(dir, true, new PrintStream(out, true, StandardCharsets.UTF_8))).isTrue();
            assertThat(out.toString(StandardCharsets.UTF_8).lines().reduce((a, b) -> b).orElseThrow())
                    .contains("\"status\":\"ok\"").contains("\"recycledBytes\":");
        }
        assertThat(spare(1)).as("closing deletes spares nobody took").doesNotExist();
        try (SegmentedLog log = SegmentedLog.open(dir, options())) {
            assertThat(log.lastIndex()).isEqualTo(recycledEnd);
            assertThat(log.entries(log.firstIndex(), recycledEnd + 1, Long.MAX_VALUE))
                    .isEqualTo(hundredBytes(log.firstIndex(), recycledEnd));
            await(log.append(hundredBytes(recycledEnd + 1, recycledEnd + 5)));
        }
        SegmentScanner.Result reopened = scan(recycled);
        assertThat(reopened.records()).isEqualTo(recycledEnd + 5 - recycled.firstIndex() + 1);
        assertThat(reopened.recycledTail()).as("the stale tail was cut on open, zeros follow the new records").isFalse();
        assertThat(reopened.torn()).isEqualTo(reopened.zeroFilledTail());
        try (SegmentedLog log = SegmentedLog.open(dir, options())) {
            assertThat(log.entries(recycledEnd - 3, recycledEnd + 6, Long.MAX_VALUE))
                    .isEqualTo(hundredBytes(recycledEnd - 3, recycledEnd + 5));
        }
    }

    @Test
    void aTornLastRecordInARecycledSegmentIsCutBackToTheRecordBefore() throws Exception {
        SegmentFile recycled = recycleAndClose();
        List<Long> offsets = recordOffsets(recycled);
        long last = offsets.get(offsets.size() - 1);
        flipPayloadBit(recycled, last);
        try (SegmentedLog log = SegmentedLog.open(dir, options())) {
            assertThat(log.lastIndex()).isEqualTo(recycledEnd - 1);
            assertThat(log.entries(recycledEnd - 5, recycledEnd, Long.MAX_VALUE))
                    .isEqualTo(hundredBytes(recycledEnd - 5, recycledEnd - 1));
        }
        assertThat(Files.size(recycled.path())).isEqualTo(last);
    }

    @Test
    void aDamagedRecordWithAnIntactOneOfItsSegmentAfterItFailsOpen() throws Exception {
        SegmentFile recycled = recycleAndClose();
        List<Long> offsets = recordOffsets(recycled);
        long middle = offsets.get(offsets.size() / 2);
        flipPayloadBit(recycled, middle);
        Throwable t = catchThrowable(() -> SegmentedLog.open(dir, options()).close());
        assertThat(t).isInstanceOf(CorruptLogException.class);
        CorruptLogException e = (CorruptLogException) t;
        assertThat(e.file()).isEqualTo(recycled.path());
        assertThat(e.offset()).isEqualTo(middle);
        assertThat(e.getMessage()).contains("checksum mismatch")
                .contains("intact record of this segment at byte " + offsets.get(offsets.size() / 2 + 1));
    }

    @Test
    void aRecycledSegmentWhoseHeaderNeverReachedTheDiskIsDeletedOnOpen() throws Exception {
        SegmentFile recycled;
        byte[][] spareBytes = new byte[1][];
        try (SegmentedLog log = SegmentedLog.open(dir, options())) {
            recycled = recycle(log, spareBytes);
        }
        // The roll renamed the spare into place, then the machine crashed before any of the new segment's
        // writes reached the disk: the file still holds the earlier segment's header and records.
        Files.write(recycled.path(), spareBytes[0]);
        assertThat(header(recycled.path()).segmentId()).isLessThan(recycled.segmentId());
        try (SegmentedLog log = SegmentedLog.open(dir, options())) {
            assertThat(log.lastIndex()).isEqualTo(recycled.firstIndex() - 1);
            assertThat(log.entries(recycled.firstIndex() - 5, recycled.firstIndex(), Long.MAX_VALUE))
                    .isEqualTo(hundredBytes(recycled.firstIndex() - 5, recycled.firstIndex() - 1));
        }
        assertThat(recycled.path()).doesNotExist();
    }

    /**
     * Random damage to the last, recycled segment (bytes changed, in its records or in the stale bytes
     * after them, or the file cut short) never makes recovery return an entry that was not written: it
     * opens with a prefix of the entries, every one intact, or fails with {@link CorruptLogException}.
     */
    @Test
    void randomDamageToARecycledSegmentYieldsAPrefixOrACorruptionError() throws Exception {
        long seed = Long.getLong("raftkit.recycle.seed", System.nanoTime());
        java.util.Random random = new java.util.Random(seed);
        SegmentFile recycled = recycleAndClose();
        java.util.Map<Path, byte[]> saved = new java.util.HashMap<>();
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                saved.put(p, Files.readAllBytes(p));
            }
        }
        long first;
        try (SegmentedLog log = SegmentedLog.open(dir, options())) {
            first = log.firstIndex();
        }
        int opened = 0;
        int refused = 0;
        for (int round = 0; round < 200; round++) {
            for (java.util.Map.Entry<Path, byte[]> e : saved.entrySet()) {
                Files.write(e.getKey(), e.getValue());
            }
            byte[] b = saved.get(recycled.path()).clone();
            int damaged = 1 + random.nextInt(4);
            for (int k = 0; k < damaged; k++) {
                b[SegmentFormat.HEADER_BYTES + random.nextInt(b.length - SegmentFormat.HEADER_BYTES)] ^=
                        (byte) (1 + random.nextInt(255));
            }
            if (random.nextInt(3) == 0) {
                b = java.util.Arrays.copyOf(b, SegmentFormat.HEADER_BYTES + random.nextInt(b.length - SegmentFormat.HEADER_BYTES));
            }
            Files.write(recycled.path(), b);
            try (SegmentedLog log = SegmentedLog.open(dir, options())) {
                opened++;
                assertThat(log.lastIndex()).as("seed=%d round %d", seed, round).isBetween(recycled.firstIndex() - 1, recycledEnd);
                assertThat(log.entries(first, log.lastIndex() + 1, Long.MAX_VALUE)).as("seed=%d round %d", seed, round)
                        .isEqualTo(hundredBytes(first, log.lastIndex()));
            } catch (CorruptLogException e) {
                refused++;
                assertThat(e.file()).as("seed=%d round %d", seed, round).isEqualTo(recycled.path());
            }
        }
        assertThat(opened).as("seed=%d: some damage is a cut tail", seed).isPositive();
        assertThat(refused).as("seed=%d: some damage is corruption", seed).isPositive();
    }

    @Test
    void aCompactionKeepsOnlyTheSegmentsTheSpareBytesAllow() throws Exception {
        for (long spareBytes : new long[] {0, SEGMENT, 3 * SEGMENT}) {
            Path logDir = dir.resolve("spares-" + spareBytes);
            try (SegmentedLog log = SegmentedLog.open(logDir, options().withSpareBytes(spareBytes))) {
                appendHundredBytesThrough(log, 5 * PER_SEGMENT);
                List<SegmentFile> segs = SegmentFiles.list(FileSystem.nio(), logDir);
                long boundary = segs.get(3).firstIndex() - 1; // three sealed segments freed at once
                await(log.compact(new SnapshotMeta(boundary, 1, Configuration.of("n1"))));
                long spares;
                try (var files = Files.list(logDir)) {
                    spares = files.filter(SegmentPreparer::isSpare).count();
                }
                assertThat(spares).as("spare bytes %d", spareBytes).isEqualTo(Math.min(3, spareBytes / SEGMENT));
                assertThat(SegmentFiles.list(FileSystem.nio(), logDir).get(0).firstIndex()).isEqualTo(boundary + 1);
            }
        }
    }

    @Test
    void aSpareLeftByACrashIsDeletedOnOpen() throws Exception {
        try (SegmentedLog log = SegmentedLog.open(dir, options())) {
            appendHundredBytesThrough(log, 20);
        }
        // A crash after a compaction kept a segment as a spare: its records are all below the boundary.
        Files.copy(segments().get(0).path(), spare(1));
        try (SegmentedLog log = SegmentedLog.open(dir, options())) {
            assertThat(spare(1)).doesNotExist();
            assertThat(log.entries(1, 21, Long.MAX_VALUE)).isEqualTo(hundredBytes(1, 20));
        }
    }

    @Test
    void withoutFsyncsCompactionDeletesSegmentsInsteadOfKeepingThem() throws Exception {
        try (SegmentedLog log = SegmentedLog.open(dir, options().withSyncPolicy(SyncPolicy.NONE))) {
            appendHundredBytesThrough(log, 4 * PER_SEGMENT);
            long boundary = segments().get(2).firstIndex() - 1;
            await(log.compact(new SnapshotMeta(boundary, 1, Configuration.of("n1"))));
            assertThat(spare(0)).doesNotExist();
            assertThat(segments().get(0).firstIndex()).isEqualTo(boundary + 1);
        }
    }

    @Test
    void aLastSegmentRenamedByHandFailsOpenInsteadOfBeingDeleted() throws Exception {
        try (SegmentedLog log = SegmentedLog.open(dir, options())) {
            appendHundredBytesThrough(log, 20);
        }
        SegmentFile original = segments().get(0);
        // Its header names segment id 1; the name now says a smaller id, which no recycled file can have.
        SegmentFile renamed = SegmentFiles.of(dir, original.firstIndex(), original.segmentId() - 1);
        Files.move(original.path(), renamed.path());
        Throwable t = catchThrowable(() -> SegmentedLog.open(dir, options()).close());
        assertThat(t).isInstanceOf(CorruptLogException.class).hasMessageContaining("but the file name says");
        assertThat(renamed.path()).exists();
    }

    @Test
    void recordsWrittenUnderAnotherSegmentIdNeverPassForThisSegmentsEvenAtTheRightIndexes() throws Exception {
        try (SegmentedLog log = SegmentedLog.open(dir, options())) {
            appendHundredBytesThrough(log, 20);
        }
        SegmentFile original = segments().get(0);
        // The same records, under a header (with a good checksum) that names a later segment id.
        SegmentFile renamed = SegmentFiles.of(dir, original.firstIndex(), original.segmentId() + 7);
        byte[] b = Files.readAllBytes(original.path());
        ByteBuffer header = ByteBuffer.wrap(b, 0, SegmentFormat.HEADER_BYTES);
        SegmentFormat.putHeader(header, renamed.firstIndex(), renamed.segmentId(), 0, new CRC32C());
        Files.write(renamed.path(), b);
        SegmentScanner.Result r = scan(renamed);
        assertThat(r.records()).isZero();
        assertThat(r.torn()).isTrue();
        assertThat(scan(original).records()).isEqualTo(20);
    }

    @Test
    void aVersionOneSegmentIsReadAndAppendedToInItsOwnFormat() throws Exception {
        SegmentFile v1 = SegmentFiles.of(dir, 1, 1);
        Files.createDirectories(dir);
        Files.write(v1.path(), versionOneSegment(hundredBytes(1, 30)));
        try (SegmentedLog log = SegmentedLog.open(dir, options())) {
            assertThat(log.lastIndex()).isEqualTo(30);
            assertThat(log.entries(1, 31, Long.MAX_VALUE)).isEqualTo(hundredBytes(1, 30));
            await(log.append(hundredBytes(31, 40)));
        }
        assertThat(header(v1.path()).version()).isEqualTo(1);
        assertThat(Files.readAllBytes(v1.path())).startsWith(versionOneSegment(hundredBytes(1, 40)));
        try (SegmentedLog log = SegmentedLog.open(dir, options())) {
            assertThat(log.entries(1, 41, Long.MAX_VALUE)).isEqualTo(hundredBytes(1, 40));
        }
    }

    /** A segment as format version 1 wrote it: no checksum seed, reserved header field 0. */
    private static byte[] versionOneSegment(List<Entry> entries) {
        ByteBuffer b = ByteBuffer.allocate((int) (SegmentFormat.HEADER_BYTES + entries.size() * RECORD));
        b.putLong(SegmentFormat.MAGIC).putShort((short) 1).putShort((short) 0).putInt(0)
                .putLong(entries.get(0).index()).putLong(1);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, 12);
        crc.update(b.array(), 16, 16);
        b.putInt(12, (int) crc.getValue());
        for (Entry e : entries) {
            int at = b.position();
            b.putInt(e.data().length).putInt(0).putLong(e.term()).putLong(e.index()).put((byte) e.type().code())
                    .put((byte) 0).putShort((short) 0).put(e.data());
            crc.reset();
            crc.update(b.array(), at, 4);
            crc.update(b.array(), at + 8, SegmentFormat.RECORD_HEADER_BYTES - 8 + e.data().length);
            b.putInt(at + 4, (int) crc.getValue());
        }
        return b.array();
    }
}
