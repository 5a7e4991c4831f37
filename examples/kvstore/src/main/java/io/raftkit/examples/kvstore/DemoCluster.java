package io.raftkit.examples.kvstore;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code kvstore.jar demo}: three kvstore nodes in this JVM on 127.0.0.1, each with its own data
 * directory, Raft port and HTTP port, exactly as three separate processes would run them.
 */
final class DemoCluster implements AutoCloseable {

    private static final String HOST = "127.0.0.1";

    private final List<KvNode> nodes;
    private final Path temporaryRoot;

    private DemoCluster(List<KvNode> nodes, Path temporaryRoot) {
        this.nodes = nodes;
        this.temporaryRoot = temporaryRoot;
    }

    /** Starts the three nodes; on failure stops those already started. */
    static DemoCluster start(DemoArguments args) throws IOException {
        Path root = args.dataDir() != null ? args.dataDir() : Files.createTempDirectory("kvstore-demo-");
        Map<String, HostPort> peers = new LinkedHashMap<>();
        for (int i = 0; i < DemoArguments.NODES; i++) {
            peers.put("n" + (i + 1), new HostPort(HOST, args.raftPort() + i));
        }
        List<KvNode> nodes = new ArrayList<>();
        try {
            int i = 0;
            for (Map.Entry<String, HostPort> member : peers.entrySet()) {
                ServerArguments node = new ServerArguments(member.getKey(), root.resolve(member.getKey()),
                        member.getValue(), new HostPort(HOST, args.httpPort() + i++), peers,
                        ServerArguments.DEFAULT_TICK_MILLIS, ServerArguments.DEFAULT_REQUEST_TIMEOUT_MILLIS,
                        ServerArguments.DEFAULT_SNAPSHOT_EVERY);
                nodes.add(KvNode.start(node));
            }
        } catch (IOException | RuntimeException e) {
            nodes.forEach(KvNode::close);
            if (args.dataDir() == null) {
                deleteRecursively(root);
            }
            throw new IOException(e.getMessage() + " (choose other ports with --http-port and --raft-port)", e);
        }
        return new DemoCluster(nodes, args.dataDir() == null ? root : null);
    }

    /** Prints the nodes' addresses and a few requests to try. */
    void printWelcome(PrintStream out, Path dataRoot) {
        out.println("kvstore demo: a 3-node cluster is running in this process.");
        for (KvNode n : nodes) {
            out.println("  " + n.id() + "  http://" + HOST + ":" + n.httpAddress().getPort());
        }
        out.println("Data: " + (temporaryRoot != null ? temporaryRoot + " (temporary, deleted on exit)" : dataRoot));
        String a = "http://" + HOST + ":" + nodes.get(0).httpAddress().getPort();
        String b = "http://" + HOST + ":" + nodes.get(1).httpAddress().getPort();
        String c = "http://" + HOST + ":" + nodes.get(2).httpAddress().getPort();
        out.println();
        out.println("Try:");
        out.println("  curl -s " + a + "/status");
        out.println("  curl -i -X PUT --data-binary 'hello' " + a + "/kv/greeting");
        out.println("  curl -i " + b + "/kv/greeting");
        out.println("  curl -i '" + c + "/kv/greeting?consistency=stale'");
        out.println("  curl -i -X POST --data-binary 'bye' '" + b + "/kv/greeting?expect=hello'");
        out.println("  curl -i -X DELETE " + c + "/kv/greeting");
        out.println();
        out.println("Press Ctrl-C to stop.");
        out.flush();
    }

    /** Closes every node and deletes a temporary data directory. */
    @Override
    public void close() {
        for (KvNode n : nodes) {
            try {
                n.close();
            } catch (RuntimeException e) {
                System.err.println("kvstore demo: closing " + n.id() + " failed: " + e);
            }
        }
        if (temporaryRoot != null) {
            deleteRecursively(temporaryRoot);
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the demo's temporary directory " + root, e);
        }
    }
}
