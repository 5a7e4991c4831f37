package io.raftkit.examples.kvstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real kvstore processes whose logs sit on real files through a file system that can hang fsync
 * ({@link HangingDiskKvServer}). The leader's fsync hangs while a write is on its way: it must count its
 * disk stalled after {@code NodeOptions.diskStallTimeout} (5 s by default), step down and stand for no
 * election, so that the other two elect a leader and take writes; it reports itself stalled in /status.
 * When its disk answers again it rejoins, and every write answered 200 reads back, linearizably, from
 * every node. Prints how long the group took to move its leadership off the hung disk.
 */
class KvDiskStallProcessIT {

    private static final Duration AWAIT = Duration.ofSeconds(60);
    private static final List<String> IDS = List.of("n1", "n2", "n3");

    @TempDir
    Path dir;

    private final KvHttpClient client = new KvHttpClient();
    private final Map<String, String> urls = new LinkedHashMap<>();
    /** Every write answered 200. */
    private final AcknowledgedWrites acknowledged = new AcknowledgedWrites(urls, AWAIT);

    @Test
    void aLeaderWhoseFsyncHangsHandsTheGroupOverAndNoAcknowledgedWriteIsLost() throws Exception {
        KvProcesses nodes = new KvProcesses(dir, List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                HangingDiskKvServer.class.getName());
        try {
            nodes.startGroup(IDS);
            IDS.forEach(id -> urls.put(id, nodes.url(id)));
            String leader = nodes.awaitAgreedLeader(IDS);
            for (int i = 0; i < 20; i++) {
                acknowledged.putUntilAcknowledged(IDS.get(i % 3), "k" + i, "v" + i);
            }

            // The leader's disk stops answering, and a write arrives: its fsync hangs.
            Path trigger = HangingDiskKvServer.trigger(nodes.dataDir(leader), leader);
            Files.createFile(trigger);
            long hungAt = System.nanoTime();
            HttpClient async = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            CompletableFuture<HttpResponse<String>> stuck = async.sendAsync(
                    HttpRequest.newBuilder(URI.create(urls.get(leader) + "/kv/stuck")).timeout(Duration.ofSeconds(30))
                            .PUT(HttpRequest.BodyPublishers.ofString("s")).build(),
                    HttpResponse.BodyHandlers.ofString());

            // The other two elect a leader among themselves; the stalled node says what is wrong with it.
            List<String> others = new ArrayList<>(IDS);
            others.remove(leader);
            String next = nodes.awaitAgreedLeader(others);
            double movedAfterMs = (System.nanoTime() - hungAt) / 1e6;
            assertThat(next).isNotEqualTo(leader);
            Await.until(leader + " reporting its disk stalled", AWAIT,
                    () -> client.send(urls.get(leader), "GET", "/status", null).text().contains("\"diskStalled\":true"));
            for (int i = 20; i < 40; i++) {
                acknowledged.putUntilAcknowledged(others.get(i % 2), "k" + i, "v" + i);
            }

            // The disk answers again: the old leader finishes its writes, follows, and catches up.
            Files.delete(trigger);
            int stuckStatus;
            try {
                stuckStatus = stuck.get().statusCode();
            } catch (java.util.concurrent.ExecutionException e) {
                stuckStatus = -1; // no answer: its outcome is unknown, so no claim is made
            }
            if (stuckStatus == 200) {
                acknowledged.add("stuck", "s");
            }
            Await.until(leader + " reporting its disk healthy", AWAIT,
                    () -> client.send(urls.get(leader), "GET", "/status", null).text().contains("\"diskStalled\":false"));
            String agreed = nodes.awaitAgreedLeader(IDS);
            long commit = client.status(urls.get(agreed)).commitIndex();
            Await.until(leader + " applying index " + commit, AWAIT,
                    () -> client.status(urls.get(leader)).appliedIndex() >= commit);

            assertThat(acknowledged.size()).isGreaterThanOrEqualTo(40);
            acknowledged.assertEveryOneReadsBackFromEveryNode();
            System.out.printf("leader %s's fsync hung; %s led, followed by %s, %.0f ms later (diskStallTimeout 5000 ms);"
                    + " the write sent to the hung leader was answered %d%n", leader, next, others, movedAfterMs,
                    stuckStatus);
        } catch (Throwable t) {
            nodes.printLogs(60);
            throw t;
        } finally {
            nodes.close();
        }
    }
}
