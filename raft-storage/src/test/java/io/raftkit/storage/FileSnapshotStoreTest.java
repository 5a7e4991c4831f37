package io.raftkit.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkit.core.Configuration;
import io.raftkit.core.SnapshotMeta;
import io.raftkit.core.SnapshotStore;
import io.raftkit.storage.fs.FaultyFileSystem;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSnapshotStoreTest {

    @TempDir
    Path dir;

    private static SnapshotMeta meta(long index) {
        return new SnapshotMeta(index, 2, Configuration.of("n1", "n2", "n3"));
    }

    private static byte imageByte(long index, long i) {
        return (byte) (index * 13 + i * 7 + (i >> 9));
    }

    /** Streams {@code size} bytes in 8 KiB pieces: the image never exists whole in memory. */
    private static void write(SnapshotStore store, long index, long size) throws IOException {
        try (SnapshotStore.SnapshotWriter w = store.create(meta(index))) {
            OutputStream out = w.output();
            byte[] piece = new byte[8192];
            for (long at = 0; at < size; at += piece.length) {
                int n = (int) Math.min(piece.length, size - at);
                for (int i = 0; i < n; i++) {
                    piece[i] = imageByte(index, at + i);
                }
                out.write(piece, 0, n);
            }
            w.commit();
        }
    }

    private static void assertImage(SnapshotStore.Snapshot s, long index, long size) throws IOException {
        assertThat(s.meta()).isEqualTo(meta(index));
        assertThat(s.sizeBytes()).isEqualTo(size);
        try (InputStream in = s.open()) {
            byte[] buf = new byte[5000];
            long at = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] != imageByte(index, at + i)) {
                        throw new AssertionError("image byte " + (at + i) + " differs");
                    }
                }
                at += n;
            }
            assertThat(at).isEqualTo(size);
        }
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    private Path newest() throws IOException {
        List<Path> f = files();
        return f.get(f.size() - 1);
    }

    private static void flipByte(Path p, long offset) throws IOException {
        byte[] b = Files.readAllBytes(p);
        b[(int) offset] ^= 0x01;
        Files.write(p, b);
    }

    @Test
    void aCommittedSnapshotReadsBackWithItsMetadata() throws Exception {
        try (FileSnapshotStore store = FileSnapshotStore.open(dir, 2)) {
            assertThat(store.latest()).isEmpty();
            write(store, 10, 3 * 1024 * 1024 + 17);
            assertImage(store.latest().orElseThrow(), 10, 3 * 1024 * 1024 + 17);
        }
        try (FileSnapshotStore store = FileSnapshotStore.open(dir, 2)) {
            assertImage(store.latest().orElseThrow(), 10, 3 * 1024 * 1024 + 17);
        }
    }

    @Test
    void anAbortedOrUncommittedSnapshotLeavesNothing() throws Exception {
        try (FileSnapshotStore store = FileSnapshotStore.open(dir, 2)) {
            write(store, 5, 100);
            try (SnapshotStore.SnapshotWriter w = store.create(meta(9))) {
                w.output().write(new byte[1000]);
            }
            SnapshotStore.SnapshotWriter w = store.create(meta(12));
            w.output().write(new byte[1000]);
            w.abort();
            w.abort();
            assertImage(store.latest().orElseThrow(), 5, 100);
            assertThat(files()).hasSize(1);
        }
    }

    @Test
    void aTemporaryFileLeftByACrashIsRemovedOnOpen() throws Exception {
        try (FileSnapshotStore store = FileSnapshotStore.open(dir, 2)) {
            write(store, 5, 100);
            store.create(meta(9)).output().write(new byte[100]); // the process "dies" before commit
        }
        assertThat(files()).hasSize(2);
        try (FileSnapshotStore store = FileSnapshotStore.open(dir, 2)) {
            assertThat(files()).hasSize(1);
            assertImage(store.latest().orElseThrow(), 5, 100);
        }
    }

    @Test
    void onlyTheNewestRetainedSnapshotsAreKept() throws Exception {
        try (FileSnapshotStore store = FileSnapshotStore.open(dir, 2)) {
            for (long i = 1; i <= 4; i++) {
                write(store, i * 100, 1000 + i);
            }
            assertThat(files()).extracting(p -> p.getFileName().toString()).containsExactly(
                    "snapshot-00000000000000000300-00000000000000000002.snap",
                    "snapshot-00000000000000000400-00000000000000000002.snap");
            assertImage(store.latest().orElseThrow(), 400, 1004);
        }
    }

    @Test
    void aCorruptImageFallsBackToTheOlderSnapshot() throws Exception {
        try (FileSnapshotStore store = FileSnapshotStore.open(dir, 3)) {
            write(store, 100, 50_000);
            write(store, 200, 50_000);
            flipByte(newest(), 30_000);
            assertImage(store.latest().orElseThrow(), 100, 50_000);
        }
    }

    @Test
    void aCorruptHeaderFallsBackAndNoValidSnapshotMeansNone() throws Exception {
        try (FileSnapshotStore store = FileSnapshotStore.open(dir, 3)) {
            write(store, 100, 500);
            write(store, 200, 500);
            flipByte(newest(), 20);
            assertImage(store.latest().orElseThrow(), 100, 500);
            flipByte(files().get(0), 400);
            assertThat(store.latest()).isEmpty();
        }
    }

    @Test
    void readingAnImageThatRotAfterwardsFailsAtItsEnd() throws Exception {
        try (FileSnapshotStore store = FileSnapshotStore.open(dir, 3)) {
            write(store, 100, 10_000);
            SnapshotStore.Snapshot s = store.latest().orElseThrow();
            flipByte(newest(), 5_000);
            assertThatThrownBy(() -> s.open().readAllBytes())
                    .isInstanceOf(CorruptLogException.class).hasMessageContaining("checksum");
        }
    }

    @Test
    void aFailedFsyncFailsTheCommitAndKeepsThePreviousSnapshot() throws Exception {
        FaultyFileSystem fs = new FaultyFileSystem().target(".tmp");
        try (FileSnapshotStore store = FileSnapshotStore.open(dir, 3, fs)) {
            write(store, 100, 500);
            fs.failForces("EIO: snapshot fsync");
            assertThatThrownBy(() -> write(store, 200, 500)).isInstanceOf(IOException.class)
                    .hasMessageContaining("snapshot-00000000000000000200").hasMessageContaining("EIO: snapshot fsync");
            assertImage(store.latest().orElseThrow(), 100, 500);
            assertThat(files()).hasSize(1);
        }
    }
}
