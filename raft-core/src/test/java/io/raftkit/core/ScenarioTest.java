package io.raftkit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every scenario file under {@code src/test/resources/scenarios} (see the README there): one test
 * per file, failing at the first case whose output differs, with the file, line, command and a diff.
 *
 * <p>{@code -Draftkit.scenario=campaign,read_index} runs only those files; {@code
 * -Draftkit.scenario.rewrite=true} writes the actual outputs into the source files instead of failing.
 * The files are read from the source tree, not the class path, so that a rewrite lands where it is
 * reviewed and committed.
 */
class ScenarioTest {

    private static final boolean REWRITE = Boolean.getBoolean("raftkit.scenario.rewrite");

    @TestFactory
    Stream<DynamicTest> scenarios() throws IOException {
        Path dir = scenarioDir();
        String only = System.getProperty("raftkit.scenario", "");
        Set<String> wanted = only.isBlank() ? Set.of() : Set.of(only.replace(".txt", "").split(","));
        List<Path> files;
        try (Stream<Path> all = Files.walk(dir)) {
            files = all.filter(p -> p.toString().endsWith(".txt"))
                    .filter(p -> wanted.isEmpty() || wanted.contains(p.getFileName().toString().replace(".txt", "")))
                    .sorted()
                    .toList();
        }
        assertThat(files).as("scenario files in %s matching '%s'", dir, only).isNotEmpty();
        return files.stream().map(f -> DynamicTest.dynamicTest(dir.relativize(f).toString(), f.toUri(), () -> run(dir, f)));
    }

    private static Path scenarioDir() {
        // Maven runs the tests in the module's directory; an IDE may run them in the repository's.
        for (Path p : List.of(Path.of("src/test/resources/scenarios"), Path.of("raft-core/src/test/resources/scenarios"))) {
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        throw new IllegalStateException("no scenarios directory under " + Path.of("").toAbsolutePath());
    }

    private static void run(Path dir, Path file) throws IOException {
        String name = dir.relativize(file).toString();
        String text = Files.readString(file, StandardCharsets.UTF_8);
        ScenarioFile scenario = ScenarioFile.parse(name, text.lines().toList());
        ScenarioInterpreter interpreter = new ScenarioInterpreter();
        List<List<String>> outputs = new ArrayList<>();
        for (ScenarioFile.Case c : scenario.cases()) {
            String where = name + ":" + c.line() + ": " + c.command();
            List<String> actual;
            try {
                actual = interpreter.run(c.command());
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError(where + ": " + e.getMessage(), e);
            }
            if (actual.stream().anyMatch(String::isBlank)) {
                throw new AssertionError(where + ": the output has a blank line, which would end it early");
            }
            if (!REWRITE && !actual.equals(c.expected())) {
                throw new AssertionError(where + ": output differs (- expected, + actual; rerun with"
                        + " -Draftkit.scenario.rewrite=true to accept the actual)\n" + diff(c.expected(), actual));
            }
            outputs.add(actual);
        }
        if (REWRITE) {
            String rewritten = scenario.render(outputs);
            if (!rewritten.equals(text)) {
                Files.writeString(file, rewritten, StandardCharsets.UTF_8);
            }
        }
    }

    /** A line diff by longest common subsequence: fine for outputs of a few dozen lines. */
    static String diff(List<String> expected, List<String> actual) {
        int n = expected.size();
        int m = actual.size();
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = expected.get(i).equals(actual.get(j)) ? lcs[i + 1][j + 1] + 1
                        : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        StringBuilder sb = new StringBuilder();
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && expected.get(i).equals(actual.get(j))) {
                sb.append("  ").append(expected.get(i++)).append('\n');
                j++;
            } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
                sb.append("- ").append(expected.get(i++)).append('\n');
            } else {
                sb.append("+ ").append(actual.get(j++)).append('\n');
            }
        }
        return sb.toString();
    }
}
