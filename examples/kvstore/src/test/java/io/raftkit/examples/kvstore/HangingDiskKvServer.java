package io.raftkit.examples.kvstore;

import java.io.IOException;
import java.util.List;

/**
 * The kvstore server with its log on a {@link HangingFileSystem}: fsyncs hang while the file
 * {@code <id>.hang-fsync} next to its data directory exists ({@link #trigger}). Same command line as {@code kvstore.jar}; run by the process
 * tests from the test class path.
 */
public final class HangingDiskKvServer {

    /** The file whose existence hangs the fsyncs of the node with data directory {@code dataDir}. */
    static java.nio.file.Path trigger(java.nio.file.Path dataDir, String id) {
        return dataDir.resolveSibling(id + ".hang-fsync");
    }

    private HangingDiskKvServer() {}

    public static void main(String[] argv) throws IOException, UsageException {
        ServerArguments args = ServerArguments.parse(List.of(argv));
        java.nio.file.Path trigger = trigger(args.dataDir(), args.id());
        KvNode node = KvNode.start(args, new HangingFileSystem(trigger));
        System.out.println("kvstore " + args.id() + " (fsync hangs while " + trigger + " exists): HTTP on http://"
                + args.http());
        System.out.flush();
        KvServer.runUntilStopped(node);
    }
}
