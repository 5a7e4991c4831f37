package io.raftkit.storage;

import io.raftkit.core.SnapshotMeta;
import io.raftkit.core.SnapshotStore;
import io.raftkit.storage.fs.FileSystem;
import io.raftkit.storage.fs.StorageFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshots as files in one directory: each is streamed to a temporary file, forced, renamed into
 * place and the directory forced, so a crash leaves either the whole snapshot or none of it. The
 * newest {@code retain} snapshots are kept. Format in FORMAT.md, "Snapshot files".
 */
public final class FileSnapshotStore implements SnapshotStore {

    private static final Logger LOG = LoggerFactory.getLogger(FileSnapshotStore.class);
    private static final Pattern NAME = Pattern.compile("snapshot-(\\d{20})-(\\d{20})\\.snap");
    private static final String TEMP_SUFFIX = ".tmp";

    private final Path dir;
    private final int retain;
    private final FileSystem fs;

    private FileSnapshotStore(Path dir, int retain, FileSystem fs) {
        this.dir = dir;
        this.retain = retain;
        this.fs = fs;
    }

    /** The snapshots {@link #open(Path)} keeps: the newest, and one older to fall back on. */
    public static final int DEFAULT_RETAIN = 2;

    /** Opens the store in {@code dir} (created if missing), keeping {@value #DEFAULT_RETAIN} snapshots. */
    public static FileSnapshotStore open(Path dir) throws IOException {
        return open(dir, DEFAULT_RETAIN);
    }

    /**
     * Opens the store in {@code dir} (created if missing), keeping the newest {@code retain} snapshots
     * (at least 1). Older ones are deleted once a newer one is complete. More than one is a fallback: if
     * the newest turns out unreadable (a bad disk sector, say), the node starts from the one before and
     * replays the log from there, as far as the log still reaches back.
     */
    public static FileSnapshotStore open(Path dir, int retain) throws IOException {
        return open(dir, retain, FileSystem.nio());
    }

    /** As {@link #open(Path, int)}, over the given file system (tests inject faults through it). */
    public static FileSnapshotStore open(Path dir, int retain, FileSystem fs) throws IOException {
        Objects.requireNonNull(dir, "dir");
        if (retain < 1) {
            throw new IllegalArgumentException("must retain at least 1 snapshot, got " + retain);
        }
        fs.createDirectories(dir);
        for (Path p : fs.list(dir)) {
            if (p.getFileName().toString().endsWith(TEMP_SUFFIX)) {
                fs.delete(p); // an interrupted create: never committed
            }
        }
        return new FileSnapshotStore(dir, retain, fs);
    }

    @Override
    public SnapshotWriter create(SnapshotMeta meta) throws IOException {
        Objects.requireNonNull(meta, "meta");
        Path target = dir.resolve(String.format("snapshot-%020d-%020d.snap", meta.index(), meta.term()));
        Path temp = dir.resolve(target.getFileName() + "." + System.nanoTime() + TEMP_SUFFIX);
        StorageFile file = fs.open(temp, true);
        try {
            file.truncate(0);
            ByteBuffer header = SnapshotFileFormat.header(meta);
            file.writeFully(header, 0);
            return new FileSnapshotWriter(file, temp, target, header.limit());
        } catch (IOException | RuntimeException e) {
            file.close();
            fs.delete(temp);
            throw e;
        }
    }

    @Override
    public Optional<Snapshot> latest() throws IOException {
        for (Path p : snapshotsNewestFirst()) {
            try {
                StoredSnapshot s = StoredSnapshot.open(fs, p);
                s.verify();
                return Optional.of(s);
            } catch (CorruptLogException e) {
                LOG.warn("skipping corrupt snapshot {}: {}", p, e.getMessage());
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        // Nothing is held open between calls.
    }

    private List<Path> snapshotsNewestFirst() throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path p : fs.list(dir)) {
            if (NAME.matcher(p.getFileName().toString()).matches()) {
                out.add(p);
            }
        }
        out.sort(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed());
        return out;
    }

    private void prune() throws IOException {
        List<Path> all = snapshotsNewestFirst();
        for (int i = retain; i < all.size(); i++) {
            fs.delete(all.get(i));
        }
    }

    /** Streams the image to the temporary file; commit adds the trailer, forces and renames. */
    private final class FileSnapshotWriter implements SnapshotWriter {

        private final StorageFile file;
        private final Path temp;
        private final Path target;
        private final ChecksummedFileOutput output;
        private boolean finished;

        FileSnapshotWriter(StorageFile file, Path temp, Path target, long headerBytes) {
            this.file = file;
            this.temp = temp;
            this.target = target;
            this.output = new ChecksummedFileOutput(file, headerBytes);
        }

        @Override
        public OutputStream output() {
            return output;
        }

        @Override
        public void commit() throws IOException {
            if (finished) {
                throw new IllegalStateException("snapshot " + target.getFileName() + " was already committed or aborted");
            }
            try {
                output.flush();
                file.writeFully(SnapshotFileFormat.trailer(output.imageBytes(), output.crc()), output.position());
                file.force();
                file.close();
                fs.rename(temp, target);
                fs.syncDirectory(dir);
            } catch (IOException e) {
                abort();
                throw new IOException("committing snapshot " + target + " failed: " + e, e);
            }
            finished = true;
            prune();
        }

        @Override
        public void abort() {
            if (finished) {
                return;
            }
            finished = true;
            try {
                file.close();
            } catch (IOException ignored) {
                // The file is deleted next; nothing in it matters.
            }
            try {
                fs.delete(temp);
            } catch (IOException e) {
                LOG.warn("could not delete aborted snapshot {}: {}", temp, e.toString());
            }
        }
    }

    /** A committed snapshot file; its image is read through a checksum check. */
    private record StoredSnapshot(FileSystem fs, Path path, SnapshotMeta meta, long imageOffset, long sizeBytes,
            int crc) implements Snapshot {

        static StoredSnapshot open(FileSystem fs, Path path) throws IOException {
            try (StorageFile f = fs.openReadOnly(path)) {
                long size = f.size();
                if (size < SnapshotFileFormat.HEADER_FIXED_BYTES + SnapshotFileFormat.TRAILER_BYTES) {
                    throw new CorruptLogException(path, 0, "snapshot file is cut short (" + size + " bytes)");
                }
                ByteBuffer fixed = ByteBuffer.allocate(SnapshotFileFormat.HEADER_FIXED_BYTES);
                f.readFully(fixed, 0);
                int headerBytes = SnapshotFileFormat.headerBytes(fixed, path);
                if (headerBytes + SnapshotFileFormat.TRAILER_BYTES > size) {
                    throw new CorruptLogException(path, 0, "snapshot file is cut short (" + size + " bytes)");
                }
                ByteBuffer header = ByteBuffer.allocate(headerBytes);
                f.readFully(header, 0);
                SnapshotMeta meta = SnapshotFileFormat.readHeader(header, path);
                ByteBuffer trailer = ByteBuffer.allocate(SnapshotFileFormat.TRAILER_BYTES);
                long trailerAt = size - SnapshotFileFormat.TRAILER_BYTES;
                f.readFully(trailer, trailerAt);
                if (trailer.getInt(12) != SnapshotFileFormat.TRAILER_MAGIC || trailer.getLong(0) != trailerAt - headerBytes) {
                    throw new CorruptLogException(path, trailerAt, "snapshot trailer does not match the file");
                }
                return new StoredSnapshot(fs, path, meta, headerBytes, trailerAt - headerBytes, trailer.getInt(8));
            }
        }

        /** Reads the whole image to check its checksum, in bounded memory. */
        void verify() throws IOException {
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = open()) {
                while (in.read(buf) >= 0) {
                    // The stream checks the checksum at its end.
                }
            }
        }

        @Override
        public InputStream open() throws IOException {
            return new ChecksummedFileInput(fs.openReadOnly(path), imageOffset, sizeBytes, crc);
        }
    }
}
