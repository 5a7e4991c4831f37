package io.raftkit.storage.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The real file system with faults on demand: a torn write (a prefix of the bytes reach the file, then
 * the call fails, as with a full disk), failing fsyncs, failing deletes, and fsyncs that wait at a gate
 * so tests can pile up work behind them. Faults apply to files whose name contains {@link #target}.
 */
public final class FaultyFileSystem implements FileSystem {

    private final FileSystem real = FileSystem.nio();
    private final AtomicLong writeBudget = new AtomicLong(Long.MAX_VALUE);
    private volatile String writeError;
    private volatile String forceError;
    private volatile String deleteError;
    private volatile String target = "";
    private volatile CountDownLatch forceGate;
    private volatile long forceNanos;
    private final CountDownLatch forceWaiting = new CountDownLatch(1);
    /** Number of fsyncs of targeted files (directory syncs not included). */
    public final AtomicInteger forces = new AtomicInteger();
    /** File names in the order their fsyncs completed. */
    public final java.util.List<String> forced = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    /** Number of write calls to targeted files. */
    public final AtomicInteger writes = new AtomicInteger();

    /** Limits faults to files whose name contains {@code fragment} (e.g. ".seg" or "hardstate"). */
    public FaultyFileSystem target(String fragment) {
        this.target = fragment;
        return this;
    }

    /** After {@code bytes} more bytes, a write stores only what fits and fails with {@code message}. */
    public FaultyFileSystem tearWritesAfter(long bytes, String message) {
        writeError = message;
        writeBudget.set(bytes);
        return this;
    }

    /** Every fsync of a targeted file fails with {@code message}. */
    public FaultyFileSystem failForces(String message) {
        forceError = message;
        return this;
    }

    /**
     * Every delete of a targeted file fails with {@code message}, and so does every rename away from one
     * (which removes its name just as a delete does: the log keeps compacted segments as spares so).
     */
    public FaultyFileSystem failDeletes(String message) {
        deleteError = message;
        return this;
    }

    /** Fsyncs of targeted files wait until {@code gate} opens. */
    public FaultyFileSystem holdForces(CountDownLatch gate) {
        forceGate = gate;
        return this;
    }

    /** Every fsync of a targeted file takes at least {@code nanos}, like a slow disk. */
    public FaultyFileSystem slowForces(long nanos) {
        forceNanos = nanos;
        return this;
    }

    /** Waits until some fsync is held at the gate. */
    public void awaitHeldForce() throws InterruptedException {
        forceWaiting.await();
    }

    /** Removes every fault. */
    public FaultyFileSystem heal() {
        writeError = null;
        forceError = null;
        deleteError = null;
        writeBudget.set(Long.MAX_VALUE);
        CountDownLatch g = forceGate;
        forceGate = null;
        if (g != null) {
            g.countDown();
        }
        return this;
    }

    private boolean targeted(Path p) {
        return p.getFileName().toString().contains(target);
    }

    @Override
    public StorageFile open(Path path, boolean create) throws IOException {
        return new FaultyFile(real.open(path, create));
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
        if (deleteError != null && targeted(path)) {
            throw new IOException(deleteError);
        }
        real.delete(path);
    }

    @Override
    public void rename(Path source, Path target) throws IOException {
        if (deleteError != null && targeted(source)) {
            throw new IOException(deleteError);
        }
        real.rename(source, target);
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        real.syncDirectory(dir);
    }

    @Override
    public java.io.Closeable lock(Path file) throws IOException {
        return real.lock(file);
    }

    private final class FaultyFile implements StorageFile {
        private final StorageFile file;

        FaultyFile(StorageFile file) {
            this.file = file;
        }

        @Override
        public Path path() {
            return file.path();
        }

        @Override
        public void writeFully(ByteBuffer src, long position) throws IOException {
            if (targeted(path())) {
                writes.incrementAndGet();
            }
            String error = writeError;
            if (error != null && targeted(path())) {
                long budget = writeBudget.get();
                if (src.remaining() > budget) {
                    ByteBuffer prefix = src.duplicate();
                    prefix.limit(prefix.position() + (int) budget);
                    file.writeFully(prefix, position);
                    writeBudget.set(0);
                    throw new IOException(error);
                }
                writeBudget.addAndGet(-src.remaining());
            }
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
            if (targeted(path())) {
                CountDownLatch gate = forceGate;
                if (gate != null) {
                    forceWaiting.countDown();
                    try {
                        gate.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted at the fsync gate", e);
                    }
                }
                if (forceError != null) {
                    throw new IOException(forceError);
                }
                long slow = forceNanos;
                if (slow > 0) {
                    // The simulated disk's latency: the time an fsync takes, not a wait for another thread.
                    java.util.concurrent.locks.LockSupport.parkNanos(slow);
                }
                forces.incrementAndGet();
            }
            file.force();
            forced.add(path().getFileName().toString());
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }
}
