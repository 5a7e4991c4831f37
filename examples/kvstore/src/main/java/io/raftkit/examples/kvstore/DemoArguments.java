package io.raftkit.examples.kvstore;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The settings of {@code kvstore.jar demo}: where the three nodes keep their data and which ports they
 * use (node i gets the base port + i).
 *
 * @param dataDir the parent of the nodes' data directories, or null for a temporary one
 * @param httpPort the first node's HTTP port
 * @param raftPort the first node's Raft port
 */
public record DemoArguments(Path dataDir, int httpPort, int raftPort) {

    static final int NODES = 3;
    private static final Set<String> OPTIONS = Set.of("data-dir", "http-port", "raft-port");

    /** @throws UsageException naming the first problem found */
    public static DemoArguments parse(List<String> args) throws UsageException {
        CommandLine line = CommandLine.parse(args, OPTIONS);
        Path dataDir = null;
        if (line.optional("data-dir") != null) {
            try {
                dataDir = Path.of(line.required("data-dir"));
            } catch (InvalidPathException e) {
                throw new UsageException("option --data-dir: " + e.getMessage());
            }
        }
        int http = line.intValue("http-port", 8001, 1, 65535 - (NODES - 1));
        int raft = line.intValue("raft-port", 7001, 1, 65535 - (NODES - 1));
        if (Math.abs(http - raft) < NODES) {
            throw new UsageException("the HTTP ports " + http + ".." + (http + NODES - 1) + " overlap the Raft ports "
                    + raft + ".." + (raft + NODES - 1));
        }
        return new DemoArguments(dataDir, http, raft);
    }
}
