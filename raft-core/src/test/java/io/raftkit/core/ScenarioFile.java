package io.raftkit.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A scenario file, in the manner of etcd's datadriven tests: cases of {@code command line}, {@code ----},
 * expected output up to the next blank line. Comment ({@code #}) and blank lines before a command belong
 * to its case, so that {@link #render} can write the file back with new outputs and nothing else
 * changed.
 */
record ScenarioFile(String name, List<Case> cases, List<String> trailer) {

    static final String SEPARATOR = "----";

    /** One case: the lines before its output (comments, then the command), the command, the expected output. */
    record Case(int line, List<String> preamble, Command command, List<String> expected) {}

    static ScenarioFile parse(String name, List<String> lines) {
        List<Case> cases = new ArrayList<>();
        List<String> preamble = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            String text = lines.get(i);
            preamble.add(text);
            i++;
            if (text.isBlank() || text.startsWith("#")) {
                continue;
            }
            int commandLine = i;
            if (i >= lines.size() || !lines.get(i).equals(SEPARATOR)) {
                throw new IllegalArgumentException(name + ":" + commandLine + ": expected '" + SEPARATOR
                        + "' after the command '" + text + "'");
            }
            i++;
            List<String> expected = new ArrayList<>();
            while (i < lines.size() && !lines.get(i).isBlank()) {
                expected.add(lines.get(i++));
            }
            i++; // the blank line that ends the output
            cases.add(new Case(commandLine, List.copyOf(preamble), Command.parse(text), expected));
            preamble.clear();
        }
        return new ScenarioFile(name, cases, List.copyOf(preamble));
    }

    /** The file's text with {@code outputs} (one per case, in order) in place of the expected outputs. */
    String render(List<List<String>> outputs) {
        List<String> out = new ArrayList<>();
        for (int c = 0; c < cases.size(); c++) {
            out.addAll(cases.get(c).preamble());
            out.add(SEPARATOR);
            out.addAll(outputs.get(c));
            out.add("");
        }
        out.addAll(trailer);
        while (!out.isEmpty() && out.get(out.size() - 1).isBlank()) {
            out.remove(out.size() - 1);
        }
        return String.join("\n", out) + "\n";
    }

    /**
     * A command line: a name, then words ({@code n1}, {@code lease}) and {@code key=value} options. The
     * interpreter takes what it understands; {@link #checkAllTaken} then rejects the rest, so that a typo
     * fails instead of being ignored.
     */
    static final class Command {
        final String text;
        final String name;
        private final List<String> words = new ArrayList<>();
        private final Map<String, String> options = new LinkedHashMap<>();

        private Command(String text) {
            this.text = text;
            String[] tokens = text.trim().split("\\s+");
            this.name = tokens[0];
            for (int t = 1; t < tokens.length; t++) {
                int eq = tokens[t].indexOf('=');
                if (eq > 0) {
                    options.put(tokens[t].substring(0, eq), tokens[t].substring(eq + 1));
                } else {
                    words.add(tokens[t]);
                }
            }
        }

        static Command parse(String text) {
            return new Command(text);
        }

        /** Removes and returns every word that {@code which} accepts. */
        List<String> takeWords(Predicate<String> which) {
            List<String> taken = new ArrayList<>();
            words.removeIf(w -> which.test(w) && taken.add(w));
            return taken;
        }

        boolean takeFlag(String word) {
            return words.remove(word);
        }

        String take(String key, String otherwise) {
            String v = options.remove(key);
            return v == null ? otherwise : v;
        }

        String require(String key) {
            String v = options.remove(key);
            if (v == null) {
                throw new IllegalArgumentException("missing " + key + "=");
            }
            return v;
        }

        long takeLong(String key, long otherwise) {
            String v = options.remove(key);
            return v == null ? otherwise : Long.parseLong(v);
        }

        boolean takeBoolean(String key, boolean otherwise) {
            String v = options.remove(key);
            if (v == null) {
                return otherwise;
            }
            if (!v.equals("true") && !v.equals("false")) {
                throw new IllegalArgumentException(key + " must be true or false, got " + v);
            }
            return Boolean.parseBoolean(v);
        }

        void checkAllTaken() {
            if (!words.isEmpty() || !options.isEmpty()) {
                List<String> left = new ArrayList<>(words);
                options.forEach((k, v) -> left.add(k + "=" + v));
                throw new IllegalArgumentException("'" + name + "' does not take " + String.join(" ", left));
            }
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
