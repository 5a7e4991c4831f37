package io.raftkit.examples.kvstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real kvstore processes started from the packaged {@code kvstore.jar} with the contract's
 * command line: writes through every node, the leader SIGKILLed with writes in flight, more writes
 * through the survivors, the killed node restarted on its data directory; at the end every write
 * that was answered 200 is read back, linearizably, from every node.
 */
class KvProcessFaultIT {

    private static final Duration AWAIT = Duration.ofSeconds(30);
    private static final List<String> IDS = List.of("n1", "n2", "n3");

    @TempDir
    Path dir;

    private final KvHttpClient client = new KvHttpClient();
    private final Map<String, String> urls = new LinkedHashMap<>();
    /** Every write answered 200. */
    private final AcknowledgedWrites acknowledged = new AcknowledgedWrites(urls, AWAIT);

    @Test
    void everyAcknowledgedWriteSurvivesASigkilledLeaderAndItsRestart() throws Exception {
        KvProcesses nodes = new KvProcesses(dir, List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        try {
            nodes.startGroup(IDS);
            IDS.forEach(id -> urls.put(id, nodes.url(id)));
            String leader = nodes.awaitAgreedLeader(IDS);

            // 1. Writes through all three nodes (followers forward).
            for (int i = 0; i < 30; i++) {
                acknowledged.putUntilAcknowledged(IDS.get(i % 3), "k" + i, "v" + i);
            }

            // 2. Writes in flight through every node while the leader is SIGKILLed.
            HttpClient async = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            Map<String, CompletableFuture<HttpResponse<String>>> inFlight = new LinkedHashMap<>();
            for (int i = 30; i < 60; i++) {
                HttpRequest put = HttpRequest.newBuilder(URI.create(urls.get(IDS.get(i % 3)) + "/kv/k" + i))
                        .timeout(Duration.ofSeconds(20)).PUT(HttpRequest.BodyPublishers.ofString("v" + i)).build();
                inFlight.put("k" + i, async.sendAsync(put, HttpResponse.BodyHandlers.ofString()));
            }
            nodes.kill(leader);
            int inFlightAcknowledged = 0;
            for (Map.Entry<String, CompletableFuture<HttpResponse<String>>> w : inFlight.entrySet()) {
                try {
                    if (w.getValue().get(30, TimeUnit.SECONDS).statusCode() == 200) {
                        acknowledged.add(w.getKey(), "v" + w.getKey().substring(1));
                        inFlightAcknowledged++;
                    }
                } catch (java.util.concurrent.ExecutionException e) {
                    // The connection to the killed node broke: the outcome is unknown, so no claim is made.
                }
            }

            // 3. More writes through the survivors, which elect a new leader.
            List<String> survivors = new ArrayList<>(IDS);
            survivors.remove(leader);
            for (int i = 60; i < 90; i++) {
                acknowledged.putUntilAcknowledged(survivors.get(i % 2), "k" + i, "v" + i);
            }
            String newLeader = nodes.awaitAgreedLeader(survivors);
            assertThat(newLeader).isNotEqualTo(leader);

            // 4. The killed node comes back on its data directory and catches up.
            nodes.start(leader);
            long commit = client.status(urls.get(newLeader)).commitIndex();
            Await.until(leader + " applying index " + commit, AWAIT,
                    () -> client.status(urls.get(leader)).appliedIndex() >= commit);

            // 5. Every acknowledged write, from every node, linearizably.
            assertThat(acknowledged.size()).isGreaterThanOrEqualTo(60);
            acknowledged.assertEveryOneReadsBackFromEveryNode();
            System.out.printf("killed leader %s; %d writes in flight at the kill were acknowledged; new leader %s%n",
                    leader, inFlightAcknowledged, newLeader);
        } catch (Throwable t) {
            nodes.printLogs(60);
            throw t;
        } finally {
            nodes.close();
        }
    }
}
