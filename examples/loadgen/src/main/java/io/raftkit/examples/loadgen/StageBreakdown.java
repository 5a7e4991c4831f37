package io.raftkit.examples.loadgen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a write's time goes, stage by stage, on the leader: a JFR recording of the measured window that
 * takes only RaftKit's {@code io.raftkit.WriteStages} events (one write in 16 on the node that accepted
 * it; see {@code StageTracer} in raft-core), summarised as percentiles per stage:
 * <ul>
 *   <li>{@code queue}: the client's call to the event loop putting the write into the log;</li>
 *   <li>{@code send}: from then to the first append carrying it being handed to the transport;</li>
 *   <li>{@code round trip}: from that send to the first follower's acknowledgement of it reaching the
 *       leader's event loop (the network both ways, the follower's hand-offs and its durable write);</li>
 *   <li>{@code persist}: from then to the leader's own log write being durable (write and fsync);</li>
 *   <li>{@code commit}: from the write entering the log to its commit (a quorum's acknowledgements; the
 *       leader's own disk counts only once durable, so this is at least the faster of the local fsync
 *       and the followers' round trip);</li>
 *   <li>{@code apply}: from the commit to the state machine having applied it (the apply queue and the
 *       apply itself);</li>
 *   <li>{@code follower persist}: on the followers ({@code io.raftkit.FollowerAppend}), from their event
 *       loop taking the leader's append to their own write of it being durable, when their
 *       acknowledgement goes out. {@code round trip} less this is the network and the hand-offs.</li>
 * </ul>
 * The client's end-to-end latency less queue, commit and apply is the answer's way back (the future's
 * completion and the client's wake-up). The recording is primed through the warm-up
 * ({@link PrimedRecording}): started in the window, JFR's start-up and the JIT compiling the
 * stage-stamping code (which runs only while a recording takes the event) cost the window about a
 * quarter more CPU per write, and at 128 in flight after a 15 s warm-up about a third of its throughput.
 */
final class StageBreakdown implements WindowProbe {

    private static final String EVENT = "io.raftkit.WriteStages";
    private static final String FOLLOWER_EVENT = "io.raftkit.FollowerAppend";
    private static final String[] STAGES = {"queue", "send", "round trip", "persist", "commit", "apply",
            "follower persist"};
    private static final String[] FIELDS = {"queueNanos", "sendNanos", "roundTripNanos", "persistNanos", "commitNanos",
            "applyNanos", "persistNanos"};
    /** The one stage the followers' events give; the others come from the leader's. */
    private static final int FOLLOWER_STAGE = 6;

    private final PrimedRecording recording = new PrimedRecording(StageBreakdown::stageEvents);
    private Path file;

    @Override
    public void warmupStarting() {
        recording.prime();
    }

    @Override
    public void opened() {
        recording.start();
    }

    @Override
    public void closed() {
        try {
            file = Files.createTempFile("loadgen-stages", ".jfr");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        recording.stopAndDump(file);
    }

    private static Recording stageEvents() {
        Recording r = new Recording();
        r.enable(EVENT);
        r.enable(FOLLOWER_EVENT);
        r.setName("loadgen-stages");
        return r;
    }

    /** The breakdown as "# stages ..." lines (after {@link #closed}); the recording file is deleted. */
    String summary() throws IOException {
        try {
            return summarize(file);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Percentiles per stage of the {@code io.raftkit.WriteStages} events in {@code recording}. */
    static String summarize(Path recording) throws IOException {
        long[][] values = new long[STAGES.length][];
        int[] counts = new int[STAGES.length];
        for (int i = 0; i < STAGES.length; i++) {
            values[i] = new long[1024];
        }
        for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
            String name = e.getEventType().getName();
            if (!name.equals(EVENT) && !name.equals(FOLLOWER_EVENT)) {
                continue;
            }
            for (int i = 0; i < STAGES.length; i++) {
                if ((i == FOLLOWER_STAGE) != name.equals(FOLLOWER_EVENT)) {
                    continue;
                }
                long v = e.getDuration(FIELDS[i]).toNanos();
                if (v < 0) {
                    continue; // not known (committed before this node counted it)
                }
                if (counts[i] == values[i].length) {
                    values[i] = Arrays.copyOf(values[i], counts[i] * 2);
                }
                values[i][counts[i]++] = v;
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "# write stages (one write in 16; microseconds):          %8s %8s %8s %8s %8s%n",
                "samples", "p50", "p90", "p99", "max"));
        for (int i = 0; i < STAGES.length; i++) {
            long[] v = Arrays.copyOf(values[i], counts[i]);
            Arrays.sort(v);
            sb.append(String.format(Locale.ROOT, "#   %-52s %8d %8.1f %8.1f %8.1f %8.1f%n", STAGES[i], v.length,
                    micros(v, 0.50), micros(v, 0.90), micros(v, 0.99), v.length == 0 ? 0 : v[v.length - 1] / 1e3));
        }
        return sb.toString().stripTrailing();
    }

    private static double micros(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] / 1e3;
    }
}
