package io.raftkit.examples.loadgen;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * The two tables worth a first look in a JFR recording of the window, as text:
 *
 * <ul>
 *   <li><b>allocation sites</b>: {@code jdk.ObjectAllocationSample} events, their {@code weight} (the bytes
 *       the sample stands for) summed per site, where a site is the <em>top non-JDK frame</em> of the
 *       event's stack (the first frame, from the top, whose class is not in {@code java.*}, {@code javax.*},
 *       {@code jdk.*}, {@code sun.*} or {@code com.sun.*}; the top frame when every frame is the JDK's), so
 *       that an {@code ArrayList.grow} or {@code Arrays.copyOf} is charged to the method that called it;
 *       when that frame is a library's (Netty, protobuf), the site also names the first RaftKit frame
 *       below it ({@code library.method < io.raftkit.Caller.method}), the code that could avoid the
 *       allocation. Each site comes with the allocated class and thread group ({@link CostGroup}) that
 *       make up most of it;
 *   <li><b>hot methods</b>: {@code jdk.ExecutionSample} events counted per top frame (the method running
 *       when sampled, JDK or not), with the thread group most of its samples came from.
 * </ul>
 *
 * Sites and methods are class and method name, without line or signature (overloads are summed). Sampled
 * figures: an execution sample is taken only of threads running Java code (not those blocked in a system
 * call such as an fsync or an epoll wait), and the allocation samples are throttled, so shares are good
 * to a few percent, not better.
 */
final class JfrSummary {

    private static final String RAFTKIT = "io.raftkit.";
    private static final List<String> JDK_PREFIXES = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.");

    /** One line of a table: a site or method, its share, and what most of it was. */
    record Row(String key, long amount, double percent, String detail) {}

    /** An amount per key, with the part of each key's amount per detail (a class, a thread group). */
    static final class Tally {
        private final Map<String, Long> totals = new HashMap<>();
        private final Map<String, Map<String, Long>> details = new HashMap<>();
        private long sum;
        private long events;

        void add(String key, String detail, long amount) {
            totals.merge(key, amount, Long::sum);
            details.computeIfAbsent(key, k -> new HashMap<>()).merge(detail, amount, Long::sum);
            sum += amount;
            events++;
        }

        long sum() {
            return sum;
        }

        long events() {
            return events;
        }

        /** The {@code n} largest keys, largest first (ties by key), each with its largest detail and its share. */
        List<Row> top(int n) {
            List<Row> rows = new ArrayList<>();
            totals.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .limit(n)
                    .forEach(e -> {
                        Map.Entry<String, Long> d = details.get(e.getKey()).entrySet().stream()
                                .max(Map.Entry.<String, Long>comparingByValue()
                                        .thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder())))
                                .orElseThrow();
                        rows.add(new Row(e.getKey(), e.getValue(), percent(e.getValue(), sum),
                                String.format(Locale.ROOT, "%s %.0f%%", d.getKey(), percent(d.getValue(), e.getValue()))));
                    });
            return rows;
        }
    }

    private final Path file;
    private final Tally allocations;
    private final Tally samples;
    private final int top;

    private JfrSummary(Path file, Tally allocations, Tally samples, int top) {
        this.file = file;
        this.allocations = allocations;
        this.samples = samples;
        this.top = top;
    }

    /** Reads a recording; the tables will list the {@code top} largest entries. */
    static JfrSummary read(Path file, int top) throws IOException {
        Tally allocations = new Tally();
        Tally samples = new Tally();
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent e = recording.readEvent();
                String type = e.getEventType().getName();
                if (type.equals("jdk.ObjectAllocationSample")) {
                    String site = site(frames(e.getStackTrace()));
                    String allocated = e.getClass("objectClass") == null ? "?" : e.getClass("objectClass").getName();
                    allocations.add(site, prettyClass(allocated) + ", " + group(e.getThread("eventThread")),
                            e.getLong("weight"));
                } else if (type.equals("jdk.ExecutionSample")) {
                    List<String> frames = frames(e.getStackTrace());
                    samples.add(frames.isEmpty() ? "?" : frames.get(0), group(e.getThread("sampledThread")), 1);
                }
            }
        }
        return new JfrSummary(file, allocations, samples, top);
    }

    /** The summary as lines, each starting with {@code "# "}. */
    List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "# jfr: %s (profile settings, measured window only)", file));
        out.add(String.format(Locale.ROOT,
                "# top %d allocation sites: jdk.ObjectAllocationSample weight summed per top non-JDK frame"
                        + " (< the first RaftKit frame below a library's)"
                        + " (%,d samples standing for %,.1f MB); [largest class, thread group: its share of the site]",
                top, allocations.events(), allocations.sum() / 1e6));
        for (Row r : allocations.top(top)) {
            out.add(String.format(Locale.ROOT, "#   %5.1f%%  %9.1f MB  %s  [%s]", r.percent(), r.amount() / 1e6, r.key(),
                    r.detail()));
        }
        out.add(String.format(Locale.ROOT,
                "# top %d hot methods: jdk.ExecutionSample counted per top frame (%,d samples);"
                        + " [largest thread group: its share of the method]",
                top, samples.events()));
        for (Row r : samples.top(top)) {
            out.add(String.format(Locale.ROOT, "#   %5.1f%%  %6d  %s  [%s]", r.percent(), r.amount(), r.key(), r.detail()));
        }
        return out;
    }

    /**
     * The allocation site of a stack given top frame first: its first non-JDK frame (else its top frame),
     * followed, when that is not RaftKit's, by {@code " < "} and the first RaftKit frame below it, if any.
     */
    static String site(List<String> frames) {
        for (int i = 0; i < frames.size(); i++) {
            String f = frames.get(i);
            if (isJdk(f)) {
                continue;
            }
            if (f.startsWith(RAFTKIT)) {
                return f;
            }
            for (String below : frames.subList(i + 1, frames.size())) {
                if (below.startsWith(RAFTKIT)) {
                    return f + " < " + below;
                }
            }
            return f;
        }
        return frames.isEmpty() ? "?" : frames.get(0);
    }

    /** Whether a frame ({@code class.method}) or class name is the JDK's. */
    static boolean isJdk(String name) {
        for (String p : JDK_PREFIXES) {
            if (name.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /** {@code [B} as {@code byte[]}, {@code [Ljava.lang.Object;} as {@code java.lang.Object[]}, others as they are. */
    static String prettyClass(String name) {
        int dims = 0;
        while (dims < name.length() && name.charAt(dims) == '[') {
            dims++;
        }
        if (dims == 0) {
            return name;
        }
        String element = switch (name.substring(dims)) {
            case "B" -> "byte";
            case "C" -> "char";
            case "S" -> "short";
            case "I" -> "int";
            case "J" -> "long";
            case "F" -> "float";
            case "D" -> "double";
            case "Z" -> "boolean";
            default -> name.substring(dims + 1, name.length() - 1); // Lpkg.Name;
        };
        return element + "[]".repeat(dims);
    }

    private static List<String> frames(RecordedStackTrace stack) {
        List<String> out = new ArrayList<>();
        if (stack != null) {
            for (RecordedFrame f : stack.getFrames()) {
                if (f.getMethod() != null && f.getMethod().getType() != null) {
                    out.add(f.getMethod().getType().getName() + "." + f.getMethod().getName());
                }
            }
        }
        return out;
    }

    private static String group(RecordedThread t) {
        return t == null ? CostGroup.OTHER.key() : CostGroup.of(t.getJavaName()).key();
    }

    private static double percent(long part, long whole) {
        return whole == 0 ? 0 : 100.0 * part / whole;
    }
}
