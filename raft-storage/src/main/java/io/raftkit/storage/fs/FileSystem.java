package io.raftkit.storage.fs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The few file-system operations the storage needs. It exists so that tests can inject torn writes,
 * write errors and fsync errors; production code uses {@link #nio()}.
 */
public interface FileSystem {

    /** The real file system, over {@code java.nio}. */
    static FileSystem nio() {
        return NioFileSystem.INSTANCE;
    }

    /** Opens a file for reading and writing, creating it when {@code create} is true. */
    StorageFile open(Path path, boolean create) throws IOException;

    /** Opens an existing file for reading only. */
    StorageFile openReadOnly(Path path) throws IOException;

    /** Creates a directory and its parents if missing. */
    void createDirectories(Path dir) throws IOException;

    /** The regular files directly inside {@code dir}, in no particular order. */
    List<Path> list(Path dir) throws IOException;

    /** Deletes a file; a missing file is not an error. */
    void delete(Path path) throws IOException;

    /** Atomically replaces {@code target} by {@code source}. */
    void rename(Path source, Path target) throws IOException;

    /** Makes creations, deletions and renames inside {@code dir} durable. */
    void syncDirectory(Path dir) throws IOException;

    /**
     * Takes an exclusive lock on {@code file} (created if missing), held until the returned handle is
     * closed or the process dies.
     *
     * @throws IOException when another process or another open in this one holds it
     */
    java.io.Closeable lock(Path file) throws IOException;
}
