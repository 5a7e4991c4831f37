package io.raftkit.examples.kvstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar's command line as other tools see it: exit codes, usage text, and {@code demo}. */
class KvCommandLineIT {

    private static final Duration AWAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private static List<String> java(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", System.getProperty("kvstore.jar")));
        command.addAll(List.of(args));
        return command;
    }

    private record Finished(int exitCode, String output) {}

    private Finished run(String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Process p = new ProcessBuilder(java(args)).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("kvstore %s exits", List.of(args)).isTrue();
            return new Finished(p.exitValue(), Files.readString(out));
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aBadCommandLineExitsWith2NamingTheProblemAndShowingTheUsage() throws Exception {
        Finished none = run();
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.output()).contains("Usage:", "demo");

        Finished mismatch = run("--id", "n1", "--data-dir", dir.resolve("n1").toString(), "--raft", "127.0.0.1:7001",
                "--http", "127.0.0.1:8001", "--peers", "n1=127.0.0.1:7009,n2=127.0.0.1:7002,n3=127.0.0.1:7003");
        assertThat(mismatch.exitCode()).isEqualTo(2);
        assertThat(mismatch.output()).contains("--raft is 127.0.0.1:7001 but --peers gives n1=127.0.0.1:7009", "Usage:");

        Finished help = run("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.output()).contains("--peers");
    }

    @Test
    void aNodeThatCannotBindItsAddressExitsWith1() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String busy = "127.0.0.1:" + taken.getLocalPort();
            FreePorts ports = new FreePorts();
            String raft = "127.0.0.1:" + ports.next();
            Finished f = run("--id", "n1", "--data-dir", dir.resolve("n1").toString(), "--raft", raft, "--http", busy,
                    "--peers", "n1=" + raft + ",n2=127.0.0.1:" + ports.next() + ",n3=127.0.0.1:" + ports.next());
            assertThat(f.exitCode()).isEqualTo(1);
            assertThat(f.output()).contains("cannot listen for HTTP on " + busy);
        }
    }

    @Test
    void theDemoServesThreeNodesAndStopsCleanlyOnSigterm() throws Exception {
        int http = threeFreePorts();
        int raft = threeFreePorts();
        Path out = dir.resolve("demo.txt");
        Path data = dir.resolve("demo-data");
        Process demo = new ProcessBuilder(java("demo", "--data-dir", data.toString(), "--http-port", "" + http,
                "--raft-port", "" + raft)).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            KvHttpClient client = new KvHttpClient();
            String n1 = "http://127.0.0.1:" + http;
            String n3 = "http://127.0.0.1:" + (http + 2);
            Await.until("the demo's nodes agreeing on a leader", AWAIT,
                    () -> client.status(n1).leader() != null && client.status(n3).leader() != null);
            assertThat(Files.readString(out)).contains(n1, "http://127.0.0.1:" + (http + 1), n3, "curl");
            Await.until("a PUT through n1", AWAIT, () -> client.put(n1, "demo", "works").status() == 200);
            assertThat(client.get(n3, "demo").text()).isEqualTo("works");

            demo.destroy(); // SIGTERM, as Ctrl-C would: the shutdown hook closes the nodes
            assertThat(demo.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.readString(out)).contains("n1: stopped", "n2: stopped", "n3: stopped");
            assertThat(data.resolve("n1").resolve("log")).isDirectory();
        } finally {
            demo.destroyForcibly();
            demo.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** A port p with p, p+1 and p+2 free on loopback a moment ago. */
    private static int threeFreePorts() throws IOException {
        FreePorts ports = new FreePorts();
        for (int attempt = 0; attempt < 100; attempt++) {
            int base = ports.next();
            if (base > 65533) {
                continue;
            }
            if (isFree(base + 1) && isFree(base + 2)) {
                return base;
            }
        }
        throw new IOException("no three consecutive free ports found");
    }

    private static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return s.isBound();
        } catch (IOException taken) {
            return false;
        }
    }
}
