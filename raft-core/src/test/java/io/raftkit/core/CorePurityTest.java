package io.raftkit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The core is a deterministic function of its inputs: outside {@code io.raftkit.node}, raft-core's main
 * code uses no threads, clocks, unseeded randomness, sockets or files.
 */
class CorePurityTest {

    private static final Pattern FORBIDDEN = Pattern.compile(
            "new Thread\\(|Thread\\.sleep|System\\.currentTimeMillis|System\\.nanoTime|Instant\\.now|"
                    + "new Random\\(\\)|Math\\.random|ThreadLocalRandom|java\\.net\\.|java\\.nio\\.file|"
                    + "java\\.io\\.File|FileChannel|Executor|synchronized \\(|CompletableFuture\\.supplyAsync");

    @Test
    void theCoreUsesNoThreadsClocksRandomnessOrIo() throws IOException {
        Path main = Path.of("src/main/java/io/raftkit/core");
        assertThat(main).isDirectory();
        List<String> hits = new ArrayList<>();
        try (Stream<Path> files = Files.walk(main)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    if (FORBIDDEN.matcher(lines.get(i)).find() && !isAllowed(f)) {
                        hits.add(f + ":" + (i + 1) + ": " + lines.get(i).trim());
                    }
                }
            }
        }
        assertThat(hits).as("impure code in the core").isEmpty();
    }

    /** The in-memory network may be driven from several runtime threads; it is a test double, not the core. */
    private static boolean isAllowed(Path f) {
        return f.toString().contains("/memory/") && !f.getFileName().toString().equals("InMemoryLogStorage.java");
    }
}
