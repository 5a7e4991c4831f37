package io.raftkit.examples.kvstore;

import io.raftkit.storage.fs.FileSystem;
import io.raftkit.storage.fs.StorageFile;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The real file system, except that an fsync hangs for as long as a trigger file exists: what a disk
 * that stops answering looks like to the process (writes are accepted into the page cache, fsync never
 * returns). The test creates and deletes the trigger from outside the process.
 */
final class HangingFileSystem implements FileSystem {

    private final FileSystem real = FileSystem.nio();
    private final Path trigger;

    HangingFileSystem(Path trigger) {
        this.trigger = trigger;
    }

    @Override
    public StorageFile open(Path path, boolean create) throws IOException {
        return new Hanging(real.open(path, create));
    }

    @Override
    public StorageFile openReadOnly(Path path) throws IOException {
        return real.openReadOnly(path);
    }

    @Override
    public void createDirectories(Path dir) throws IOException {
        real.createDirectories(dir);
    }

    @Override
    public List<Path> list(Path dir) throws IOException {
        return real.list(dir);
    }

    @Override
    public void delete(Path path) throws IOException {
        real.delete(path);
    }

    @Override
    public void rename(Path source, Path target) throws IOException {
        real.rename(source, target);
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        hangWhileTriggered();
        real.syncDirectory(dir);
    }

    @Override
    public Closeable lock(Path file) throws IOException {
        return real.lock(file);
    }

    /** The disk "answers" again only when the trigger is gone; checked every millisecond. */
    private void hangWhileTriggered() {
        while (Files.exists(trigger)) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    private final class Hanging implements StorageFile {
        private final StorageFile file;

        Hanging(StorageFile file) {
            this.file = file;
        }

        @Override
        public Path path() {
            return file.path();
        }

        @Override
        public void writeFully(ByteBuffer src, long position) throws IOException {
            file.writeFully(src, position);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return file.read(dst, position);
        }

        @Override
        public long size() throws IOException {
            return file.size();
        }

        @Override
        public void truncate(long size) throws IOException {
            file.truncate(size);
        }

        @Override
        public void force() throws IOException {
            hangWhileTriggered();
            file.force();
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }
}
