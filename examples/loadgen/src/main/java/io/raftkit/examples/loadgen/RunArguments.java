package io.raftkit.examples.loadgen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code --name value} arguments of the long-running benchmarks ({@link SlowFollowerRun},
 * {@link LongRun}): every one must be known and have a value, and each is read with its default.
 */
final class RunArguments {

    private final Map<String, String> values = new HashMap<>();

    /** @throws IllegalArgumentException naming an unknown option or one without a value */
    RunArguments(String[] args, Set<String> known) {
        for (int i = 0; i < args.length; i += 2) {
            String flag = args[i];
            if (!known.contains(flag)) {
                throw new IllegalArgumentException("unknown option " + flag + "; known: " + known);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            values.put(flag, args[i + 1]);
        }
    }

    int integer(String flag, int otherwise) {
        String v = values.get(flag);
        try {
            return v == null ? otherwise : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " takes a whole number, got " + v);
        }
    }

    long number(String flag, long otherwise) {
        String v = values.get(flag);
        try {
            return v == null ? otherwise : Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " takes a whole number, got " + v);
        }
    }

    Duration duration(String flag, Duration otherwise) {
        String v = values.get(flag);
        return v == null ? otherwise : LoadOptions.duration(flag, v);
    }

    /** A new directory for the run's data, under {@code --data-dir} or the temporary directory. */
    Path runDirectory(String prefix) throws IOException {
        String v = values.get("--data-dir");
        Path parent = v == null ? Path.of(System.getProperty("java.io.tmpdir")) : Files.createDirectories(Path.of(v));
        return Files.createTempDirectory(parent, prefix);
    }
}
