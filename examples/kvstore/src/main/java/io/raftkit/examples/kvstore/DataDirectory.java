package io.raftkit.examples.kvstore;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A node's data directory, held for as long as the node runs:
 * <pre>
 *   DIR/lock        an OS file lock: a second process on the same directory is refused (the log and
 *                   snapshot files have one writer); the OS releases it even on SIGKILL
 *   DIR/node-id     the id the directory was created for: reusing it under another id is refused,
 *                   since that node's votes and log would be taken for a different member's
 *   DIR/cluster-id  the group it was created for: serving it to another group is refused, since its
 *                   log would be taken for that group's
 *   DIR/log/        the segmented Raft log
 *   DIR/snapshots/  the state machine's snapshots
 * </pre>
 */
final class DataDirectory implements AutoCloseable {

    private final Path root;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private DataDirectory(Path root, FileChannel lockChannel, FileLock lock) {
        this.root = root;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * @throws IOException when the directory cannot be created, is in use, or belongs to another node id
     *     or cluster
     */
    static DataDirectory open(Path root, String nodeId, String clusterId) throws IOException {
        Files.createDirectories(root);
        FileChannel channel = FileChannel.open(root.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this JVM already
        }
        if (lock == null) {
            channel.close();
            throw new IOException("data directory " + root + " is in use by another kvstore process");
        }
        try {
            checkOwner(root.resolve("node-id"), nodeId, "node");
            checkOwner(root.resolve("cluster-id"), clusterId, "cluster");
        } catch (IOException e) {
            lock.release();
            channel.close();
            throw e;
        }
        return new DataDirectory(root, channel, lock);
    }

    private static void checkOwner(Path idFile, String id, String what) throws IOException {
        if (Files.exists(idFile)) {
            String owner = Files.readString(idFile, StandardCharsets.UTF_8).strip();
            if (!owner.equals(id)) {
                throw new IOException("data directory " + idFile.getParent() + " belongs to " + what + " " + owner
                        + ", not " + id + "; use that " + what + " id or another directory");
            }
        } else {
            Files.writeString(idFile, id + "\n", StandardCharsets.UTF_8);
        }
    }

    Path log() {
        return root.resolve("log");
    }

    Path snapshots() {
        return root.resolve("snapshots");
    }

    @Override
    public void close() {
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            // Closing the channel releases the lock anyway; nothing left to do.
        }
    }
}
