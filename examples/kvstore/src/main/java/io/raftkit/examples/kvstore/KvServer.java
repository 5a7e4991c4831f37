package io.raftkit.examples.kvstore;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The kvstore command: runs one replicated key-value node ({@code --id ... --peers ...}) or a local
 * three-node demo cluster ({@code demo}) until the process is stopped. See {@link CommandLine#USAGE}
 * and the module's README for the HTTP interface.
 *
 * <p>Exit status: 2 for a bad command line, 1 when the node cannot start (address in use, data
 * directory in use or unreadable), 0 after a clean stop.
 */
public final class KvServer {

    private KvServer() {}

    public static void main(String[] argv) {
        List<String> args = List.of(argv);
        if (args.isEmpty()) {
            System.err.print(CommandLine.USAGE);
            System.exit(2);
        }
        if (args.contains("--help") || args.contains("-h")) {
            System.out.print(CommandLine.USAGE);
            return;
        }
        try {
            if (args.get(0).equals("demo")) {
                runDemo(DemoArguments.parse(args.subList(1, args.size())));
            } else {
                runNode(ServerArguments.parse(args));
            }
        } catch (UsageException e) {
            System.err.println("kvstore: " + e.getMessage());
            System.err.println();
            System.err.print(CommandLine.USAGE);
            System.exit(2);
        } catch (IOException | RuntimeException e) {
            System.err.println("kvstore: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void runNode(ServerArguments args) throws IOException {
        KvNode node = KvNode.start(args);
        System.out.println("kvstore " + args.id() + ": HTTP on http://" + args.http() + ", Raft on " + args.raft()
                + ", data in " + args.dataDir());
        System.out.flush();
        runUntilStopped(node);
    }

    private static void runDemo(DemoArguments args) throws IOException {
        DemoCluster demo = DemoCluster.start(args);
        demo.printWelcome(System.out, args.dataDir());
        runUntilStopped(demo);
    }

    /** Blocks until the JVM is asked to stop (Ctrl-C, SIGTERM), then closes {@code resource} cleanly. */
    static void runUntilStopped(AutoCloseable resource) {
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                resource.close();
            } catch (Exception e) {
                System.err.println("kvstore: error while stopping: " + e);
            } finally {
                closed.countDown();
            }
        }, "kvstore-shutdown"));
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
