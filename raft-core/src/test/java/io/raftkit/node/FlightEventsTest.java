package io.raftkit.node;

import static io.raftkit.node.TestKv.put;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.testkit.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A flight recording of a small group's life holds the node's events, with their fields. */
class FlightEventsTest {

    @TempDir
    Path dir;

    @Test
    void electionsLeaderChangesWritesAppliesSnapshotsAndStallsAreRecorded() throws Exception {
        Path file = dir.resolve("raft.jfr");
        try (Recording recording = new Recording()) {
            for (String name : List.of("io.raftkit.LeaderChange", "io.raftkit.Campaign", "io.raftkit.LogWrite",
                    "io.raftkit.Apply", "io.raftkit.Snapshot", "io.raftkit.LoopStall")) {
                recording.enable(name).withThreshold(Duration.ZERO);
            }
            recording.start();
            NodeOptions options = NodeOptions.builder()
                    .raft(io.raftkit.core.RaftConfig.builder().electionTicks(10).heartbeatTicks(1).build())
                    .tickInterval(Duration.ofMillis(10))
                    .snapshotEveryEntries(10)
                    .closeTransferTimeout(Duration.ZERO)
                    .build();
            try (TestCluster<TestKv> c = TestCluster.builder(TestKv::new).options(options).manualClocks().build()) {
                c.advanceUntil(c.ids(), "a leader", () -> c.ids().stream().anyMatch(id -> c.node(id).isLeader()));
                String leader = c.ids().stream().filter(id -> c.node(id).isLeader()).findFirst().orElseThrow();
                for (int i = 0; i < 15; i++) {
                    var w = c.node(leader).submit(put("k" + i, "v"));
                    c.advanceUntil(c.ids(), "write " + i, w::isDone);
                    w.get(1, TimeUnit.SECONDS);
                }
                // The leader's clock jumps 30 ticks while its loop did not run: a stall.
                c.clock(leader).advance(options.tickInterval().multipliedBy(30));
                // The next request makes the loop catch up with its clock (and record the stall); it may
                // fail if the stalled leader stepped down, so only its ending is awaited.
                var after = c.node(leader).submit(put("after", "stall"));
                c.advanceUntil(c.ids(), "the write after the stall to end", after::isDone);
            }
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        Set<String> kinds = new TreeSet<>();
        for (RecordedEvent e : events) {
            kinds.add(e.getEventType().getName());
        }
        assertThat(kinds).contains("io.raftkit.LeaderChange", "io.raftkit.Campaign", "io.raftkit.LogWrite",
                "io.raftkit.Apply", "io.raftkit.Snapshot", "io.raftkit.LoopStall");
        RecordedEvent write = events.stream().filter(e -> e.getEventType().getName().equals("io.raftkit.LogWrite"))
                .findFirst().orElseThrow();
        assertThat(write.getString("node")).startsWith("n");
        assertThat(write.getInt("entries")).isPositive();
        RecordedEvent stall = events.stream().filter(e -> e.getEventType().getName().equals("io.raftkit.LoopStall"))
                .findFirst().orElseThrow();
        assertThat(stall.getLong("missedTicks")).isGreaterThanOrEqualTo(2);
        assertThat(events.stream().filter(e -> e.getEventType().getName().equals("io.raftkit.Snapshot"))
                .map(e -> e.getString("kind"))).contains("taken");
        assertThat(Files.size(file)).isPositive();
    }

    @Test
    void sampledWritesRecordWhereTheirTimeWentStageByStage() throws Exception {
        Path file = dir.resolve("stages.jfr");
        String leader;
        try (Recording recording = new Recording()) {
            recording.enable("io.raftkit.WriteStages");
            recording.enable("io.raftkit.FollowerAppend");
            recording.start();
            try (TestCluster<TestKv> c = TestCluster.builder(TestKv::new).build()) {
                leader = c.awaitLeader();
                String follower = c.others(leader).get(0);
                for (int i = 0; i < 80; i++) {
                    // Writes through a follower too: only the node that accepts a write into its log traces it.
                    c.node(i % 2 == 0 ? leader : follower).submit(put("k" + i, "v")).get(5, TimeUnit.SECONDS);
                }
                c.awaitApplied(c.node(leader).status().commitIndex());
            }
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> all = RecordingFile.readAllEvents(file);
        List<RecordedEvent> stages = all.stream()
                .filter(e -> e.getEventType().getName().equals("io.raftkit.WriteStages")).toList();
        List<RecordedEvent> followers = all.stream()
                .filter(e -> e.getEventType().getName().equals("io.raftkit.FollowerAppend")).toList();
        // Both followers write the sampled entries too, each timing its own write of them.
        assertThat(followers).hasSizeGreaterThanOrEqualTo(2 * 4);
        for (RecordedEvent e : followers) {
            assertThat(e.getString("node")).isNotEqualTo(leader);
            assertThat(e.getLong("index") % StageTracer.EVERY).isZero();
            assertThat(e.getDuration("persistNanos")).isPositive();
        }
        // 80 writes after the leader's first entry: at least four indexes that are multiples of 16.
        assertThat(stages).hasSizeGreaterThanOrEqualTo(4);
        for (RecordedEvent e : stages) {
            assertThat(e.getString("node")).isEqualTo(leader);
            assertThat(e.getLong("index") % StageTracer.EVERY).isZero();
            assertThat(e.getDuration("queueNanos")).isPositive();
            assertThat(e.getDuration("persistNanos")).isPositive();
            assertThat(e.getDuration("commitNanos")).isPositive();
            assertThat(e.getDuration("applyNanos").isNegative()).isFalse();
            // The commit waits for a follower's acknowledgement, which comes after the append that carried it.
            assertThat(e.getDuration("sendNanos").isNegative()).isFalse();
            assertThat(e.getDuration("roundTripNanos")).isPositive();
            assertThat(e.getDuration("sendNanos").plus(e.getDuration("roundTripNanos")))
                    .isLessThanOrEqualTo(e.getDuration("commitNanos"));
        }
        assertThat(stages.stream().map(e -> e.getLong("index")).distinct().count()).isEqualTo(stages.size());
    }
}
