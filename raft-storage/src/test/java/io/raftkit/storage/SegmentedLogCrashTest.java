package io.raftkit.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.core.Entry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a real child JVM that is appending ({@link CrashWorkload}) with SIGKILL at a random moment,
 * reopens its log and checks that every write it reported durable is there and intact. The seed is
 * printed; set {@code -Draftkit.crash.seed=...} to replay a run.
 */
class SegmentedLogCrashTest {

    private static final int ROUNDS = 5;

    @TempDir
    Path dir;

    @Test
    void everyWriteReportedDurableSurvivesSigkill() throws Exception {
        long seed = Long.getLong("raftkit.crash.seed", System.nanoTime());
        System.out.println("SegmentedLogCrashTest seed " + seed);
        Random random = new Random(seed);
        Path log = dir.resolve("log");
        long durable = 0;
        long hardStateTerm = 0;
        long compacted = 0;
        for (int round = 0; round < ROUNDS; round++) {
            int killAfter = 1 + random.nextInt(300);
            Path stderr = dir.resolve("child-" + round + ".err");
            Process child = new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx128m", "-XX:TieredStopAtLevel=1",
                    "-cp", childClassPath(),
                    CrashWorkload.class.getName(), log.toString(), Long.toString(random.nextLong()))
                    .redirectError(stderr.toFile())
                    .start();
            int lines = 0;
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    String[] parts = line.split(" ");
                    long value = Long.parseLong(parts[1]);
                    switch (parts[0]) {
                        case "durable" -> durable = Math.max(durable, value);
                        case "hardstate" -> hardStateTerm = Math.max(hardStateTerm, value);
                        case "compacted" -> compacted = Math.max(compacted, value);
                        default -> throw new AssertionError("unexpected child output: " + line);
                    }
                    if (++lines == killAfter) {
                        // Killing closes our end of the pipe: lines the child printed but we did not read
                        // are simply not checked.
                        child.destroyForcibly();
                        break;
                    }
                }
            }
            child.waitFor();
            assertThat(lines).as("child output before it died; its stderr: %s", Files.readString(stderr))
                    .isGreaterThanOrEqualTo(killAfter);
            check(log, durable, hardStateTerm, compacted);
        }
    }

    private static void check(Path dir, long durable, long hardStateTerm, long compacted) throws Exception {
        try (SegmentedLog log = SegmentedLog.open(dir, CrashWorkload.OPTIONS)) {
            assertThat(log.lastIndex()).as("last index vs last reported durable").isGreaterThanOrEqualTo(durable);
            assertThat(log.hardState().term()).isGreaterThanOrEqualTo(hardStateTerm);
            assertThat(log.snapshotMeta().index()).isGreaterThanOrEqualTo(compacted);
            if (log.snapshotMeta().exists()) {
                assertThat(log.term(log.snapshotMeta().index()))
                        .isEqualTo(CrashWorkload.expected(log.snapshotMeta().index()).term());
            }
            long i = log.firstIndex();
            while (i <= log.lastIndex()) {
                List<Entry> page = log.entries(i, log.lastIndex() + 1, 1 << 20);
                for (Entry e : page) {
                    assertThat(e).isEqualTo(CrashWorkload.expected(i));
                    i++;
                }
            }
        }
    }

    /**
     * This JVM's classes for the child, which runs on the class path: surefire puts a module's own classes
     * on the module path and only the rest on the class path.
     */
    private static String childClassPath() {
        String modulePath = System.getProperty("jdk.module.path", "");
        String classPath = System.getProperty("java.class.path", "");
        return modulePath.isEmpty() ? classPath : modulePath + java.io.File.pathSeparator + classPath;
    }
}
