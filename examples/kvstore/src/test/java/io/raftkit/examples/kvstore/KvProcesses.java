package io.raftkit.examples.kvstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Real kvstore processes started from the packaged {@code kvstore.jar} (the failsafe configuration sets
 * the {@code kvstore.jar} system property), each with its own data directory and log file under one
 * directory: founders started with {@code --peers}, newcomers with {@code --join}.
 */
final class KvProcesses implements AutoCloseable {

    static final Duration AWAIT = Duration.ofSeconds(60);

    private final Path dir;
    private final String jar;
    /** Null: run {@code jar}; else this main class from the test class path. */
    private final String mainClass;
    private final List<String> jvmOptions;
    private final FreePorts ports = new FreePorts();
    private final KvHttpClient client = new KvHttpClient();
    private final Map<String, String> raft = new LinkedHashMap<>();
    private final Map<String, String> urls = new LinkedHashMap<>();
    private final Map<String, List<String>> commands = new LinkedHashMap<>();
    private final Map<String, Process> processes = new LinkedHashMap<>();

    /** @param jvmOptions options for each node's JVM (heap, GC) */
    KvProcesses(Path dir, List<String> jvmOptions) {
        this(dir, jvmOptions, null);
    }

    /**
     * @param mainClass a main class to run from this test's class path with the kvstore command line (a
     *     server with faults built in), instead of the packaged jar; null for the jar
     */
    KvProcesses(Path dir, List<String> jvmOptions, String mainClass) {
        this.dir = dir;
        this.mainClass = mainClass;
        this.jar = System.getProperty("kvstore.jar");
        if (mainClass == null) {
            assertThat(jar).as("system property kvstore.jar (set by the failsafe configuration)").isNotNull();
            assertThat(Path.of(jar)).exists();
        }
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    /** Allocates addresses for {@code ids} and starts each as a founder of one group. */
    void startGroup(List<String> ids, String... options) {
        StringBuilder peers = new StringBuilder();
        for (String id : ids) {
            allocate(id);
            peers.append(peers.length() == 0 ? "" : ",").append(id).append('=').append(raft.get(id));
        }
        for (String id : ids) {
            List<String> command = command(id, options);
            command.addAll(List.of("--peers", peers.toString()));
            commands.put(id, command);
            start(id);
        }
    }

    /** Starts {@code id}, new to the group, with {@code --join} and an empty data directory. */
    void startJoining(String id, String... options) {
        allocate(id);
        List<String> command = command(id, options);
        command.add("--join");
        commands.put(id, command);
        start(id);
    }

    private void allocate(String id) {
        raft.put(id, "127.0.0.1:" + ports.next());
        urls.put(id, "http://127.0.0.1:" + ports.next());
    }

    private List<String> command(String id, String... options) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        if (mainClass == null) {
            command.addAll(List.of("-jar", jar));
        } else {
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        }
        command.addAll(List.of("--id", id, "--data-dir", dataDir(id).toString(),
                "--raft", raft.get(id), "--http", urls.get(id).substring("http://".length())));
        command.addAll(List.of(options));
        return command;
    }

    /** (Re)starts {@code id} with the command line it was first started with, on its data directory. */
    void start(String id) {
        try {
            Process p = new ProcessBuilder(commands.get(id))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(id + ".log").toFile()))
                    .start();
            processes.put(id, p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + id, e);
        }
    }

    /** SIGKILL: no shutdown hook runs, nothing is handed over. */
    void kill(String id) throws InterruptedException {
        Process p = processes.get(id);
        p.destroyForcibly();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("%s died", id).isTrue();
    }

    /** SIGTERM, as an operator stops a node: the node closes cleanly (a leader hands leadership over). */
    void stop(String id) throws InterruptedException {
        Process p = processes.get(id);
        p.destroy();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("%s stopped on SIGTERM", id).isTrue();
    }

    /** Deletes {@code id}'s data directory (a lost disk); the process must be dead. */
    void wipe(String id) throws IOException {
        Path root = dataDir(id);
        if (Files.exists(root)) {
            try (var paths = Files.walk(root)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    Path dataDir(String id) {
        return dir.resolve(id);
    }

    String url(String id) {
        return urls.get(id);
    }

    String raftAddress(String id) {
        return raft.get(id);
    }

    /** Waits until every one of {@code ids} answers /status naming the same leader, one of {@code ids}. */
    String awaitAgreedLeader(List<String> ids) {
        String[] leader = new String[1];
        Await.until("a leader agreed on by " + ids, AWAIT, () -> {
            String seen = null;
            for (String id : ids) {
                String l = client.status(urls.get(id)).leader();
                if (l == null || !ids.contains(l) || (seen != null && !seen.equals(l))) {
                    return false;
                }
                seen = l;
            }
            leader[0] = seen;
            return true;
        });
        return leader[0];
    }

    /** The last lines of every node's log, for a failure's report. */
    void printLogs(int lines) {
        for (String id : commands.keySet()) {
            Path log = dir.resolve(id + ".log");
            try {
                List<String> all = Files.exists(log) ? Files.readAllLines(log) : List.of();
                System.err.println("---- " + id + " (last " + lines + " lines) ----");
                all.subList(Math.max(0, all.size() - lines), all.size()).forEach(System.err::println);
            } catch (IOException e) {
                System.err.println("cannot read " + log + ": " + e);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : processes.values()) {
            p.destroyForcibly();
        }
        for (Process p : processes.values()) {
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
