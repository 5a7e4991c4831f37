package io.raftkit.examples.kvstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Every route and status code of the HTTP interface, against a real three-node cluster in this JVM. */
class KvHttpClusterTest extends SharedClusterTest {


    private String leader() throws Exception {
        return client.status(cluster.url(cluster.ids().get(0))).leader();
    }

    private List<String> followers() throws Exception {
        String leader = leader();
        List<String> followers = new ArrayList<>(cluster.ids());
        followers.remove(leader);
        return followers;
    }

    @Test
    void aPutOnTheLeaderIsReadableFromEveryNodeAtEveryConsistency() throws Exception {
        String leader = cluster.url(leader());
        assertThat(client.put(leader, "colour", "blue").status()).isEqualTo(200);
        for (String id : cluster.ids()) {
            String url = cluster.url(id);
            assertThat(client.get(url, "colour").text()).as("default read on %s", id).isEqualTo("blue");
            assertThat(client.get(url, "colour", "linearizable").text()).as("linearizable on %s", id).isEqualTo("blue");
            assertThat(client.get(url, "colour", "lease").text()).as("lease on %s", id).isEqualTo("blue");
            // A linearizable read on the node made it apply the write, so a stale read sees it too.
            KvHttpClient.Reply stale = client.get(url, "colour", "stale");
            assertThat(stale.status()).isEqualTo(200);
            assertThat(stale.text()).as("stale on %s", id).isEqualTo("blue");
        }
    }

    @Test
    void aWriteToAFollowerIsForwardedToTheLeader() throws Exception {
        String follower = cluster.url(followers().get(0));
        KvHttpClient.Reply put = client.put(follower, "forwarded", "yes");
        assertThat(put.status()).isEqualTo(200);
        assertThat(put.text()).isEqualTo("OK\n");
        // Answered after it was applied on the follower: its own stale read already sees it.
        assertThat(client.get(follower, "forwarded", "stale").text()).isEqualTo("yes");
        assertThat(client.get(cluster.url(leader()), "forwarded").text()).isEqualTo("yes");
        assertThat(client.delete(follower, "forwarded").status()).isEqualTo(200);
        assertThat(client.compareAndSet(follower, "forwarded", "", "again").status()).isEqualTo(200);
        assertThat(client.get(cluster.url(leader()), "forwarded").text()).isEqualTo("again");
    }

    @Test
    void anAbsentKeyIs404AtEveryConsistency() throws Exception {
        for (String consistency : List.of("linearizable", "lease", "stale")) {
            KvHttpClient.Reply r = client.get(cluster.url(followers().get(1)), "never-written", consistency);
            assertThat(r.status()).as(consistency).isEqualTo(404);
        }
    }

    @Test
    void deleteIs200AlsoForAnAbsentKeyAndRemovesIt() throws Exception {
        String url = cluster.url(cluster.ids().get(1));
        assertThat(client.delete(url, "absent").status()).isEqualTo(200);
        assertThat(client.put(url, "doomed", "x").status()).isEqualTo(200);
        assertThat(client.delete(url, "doomed").status()).isEqualTo(200);
        assertThat(client.get(url, "doomed").status()).isEqualTo(404);
    }

    @Test
    void compareAndSetIs200OnAMatchAnd409OnAMismatch() throws Exception {
        String url = cluster.url(cluster.ids().get(2));
        assertThat(client.compareAndSet(url, "cas", "something", "v1").status()).as("absent vs non-empty").isEqualTo(409);
        assertThat(client.compareAndSet(url, "cas", "", "v1").status()).as("absent vs empty").isEqualTo(200);
        assertThat(client.compareAndSet(url, "cas", "", "v2").status()).as("present vs empty").isEqualTo(409);
        KvHttpClient.Reply mismatch = client.compareAndSet(url, "cas", "v0", "v2");
        assertThat(mismatch.status()).isEqualTo(409);
        assertThat(mismatch.text()).contains("does not match");
        assertThat(client.get(url, "cas").text()).isEqualTo("v1");
        assertThat(client.compareAndSet(url, "cas", "v1", "v2").status()).isEqualTo(200);
        assertThat(client.get(url, "cas").text()).isEqualTo("v2");
        // expect is form-decoded: spaces and reserved characters survive.
        assertThat(client.put(url, "cas", "a b&c=d").status()).isEqualTo(200);
        assertThat(client.compareAndSet(url, "cas", "a b&c=d", "done").status()).isEqualTo(200);
    }

    @Test
    void binaryKeysAndValuesRoundTrip() throws Exception {
        byte[] value = new byte[4096];
        new SplittableRandom(7).nextBytes(value);
        String url = cluster.url(cluster.ids().get(0));
        assertThat(client.send(url, "PUT", "/kv/%00%FF%2Fbin", value).status()).isEqualTo(200);
        KvHttpClient.Reply r = client.send(cluster.url(cluster.ids().get(2)), "GET", "/kv/%00%FF%2Fbin", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(value);
        assertThat(client.put(url, "empty", "").status()).isEqualTo(200);
        KvHttpClient.Reply empty = client.get(url, "empty");
        assertThat(empty.status()).isEqualTo(200);
        assertThat(empty.body()).isEmpty();
    }

    @Test
    void statusHasTheContractFieldsAndOneLeader() throws Exception {
        int leaders = 0;
        for (String id : cluster.ids()) {
            KvHttpClient.Reply r = client.send(cluster.url(id), "GET", "/status", null);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).contains("\"id\":\"" + id + "\"", "\"role\":", "\"term\":", "\"leader\":\"",
                    "\"commitIndex\":", "\"appliedIndex\":", "\"lastSnapshotIndex\":", "\"failure\":null",
                    "\"members\":{\"n1\":\"127.0.0.1:");
            KvHttpClient.Status s = KvHttpClient.parseStatus(r.text());
            leaders += s.isLeader() ? 1 : 0;
            assertThat(s.term()).isPositive();
        }
        assertThat(leaders).isEqualTo(1);
    }

    @Test
    void malformedRequestsAre400AndUnknownMethods405() throws Exception {
        String url = cluster.url(cluster.ids().get(0));
        assertThat(client.get(url, "k", "eventual").status()).isEqualTo(400);
        assertThat(client.send(url, "GET", "/kv/", null).status()).isEqualTo(400);
        assertThat(client.send(url, "GET", "/kv/" + "k".repeat(KvNode.MAX_KEY_BYTES + 1), null).status()).isEqualTo(400);
        assertThat(client.send(url, "GET", "/nothing-here", null).status()).isEqualTo(400);
        assertThat(client.send(url, "POST", "/kv/k", new byte[] {1}).status()).as("POST without expect").isEqualTo(400);
        KvHttpClient.Reply patch = client.send(url, "PATCH", "/kv/k", new byte[] {1});
        assertThat(patch.status()).isEqualTo(405);
        assertThat(client.send(url, "DELETE", "/status", null).status()).isEqualTo(405);
    }

    @Test
    void aPayloadOverTheLimitIs413() throws Exception {
        String url = cluster.url(cluster.ids().get(1));
        int limit = io.raftkit.node.NodeOptions.defaults().maxCommandBytes();
        // A body within the HTTP limit that makes the command too large with its key and header.
        assertThat(client.send(url, "PUT", "/kv/big", new byte[limit]).status()).isEqualTo(413);
        // A body over the HTTP limit, refused before it is even read in full, with the reason; the
        // answer reaches the client although it is still uploading (several times: closing too early
        // lost the answer now and then).
        for (int i = 0; i < 10; i++) {
            KvHttpClient.Reply over = client.send(url, "PUT", "/kv/big", new byte[limit + 1]);
            assertThat(over.status()).isEqualTo(413);
            assertThat(over.text()).contains("over the limit of " + limit + " bytes");
        }
        assertThat(client.get(url, "big").status()).isEqualTo(404);
        // The connection pool and the node still serve normal requests.
        assertThat(client.put(url, "small", "ok").status()).isEqualTo(200);
    }

    @Test
    void metricsAreServedInThePrometheusTextFormat() throws Exception {
        String leader = leader();
        String url = cluster.url(leader);
        for (int i = 0; i < 5; i++) {
            assertThat(client.put(url, "m" + i, "v").status()).isEqualTo(200);
        }
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/plain; version=0.0.4");
        String text = r.body();
        assertThat(text).contains("# TYPE raftkit_writes_total counter",
                "raftkit_role{node=\"" + leader + "\",role=\"LEADER\"} 1",
                "raftkit_applies_on_event_loop{node=\"" + leader + "\"} 1",
                "# TYPE raftkit_write_latency_seconds histogram",
                "raftkit_member_lag_entries{node=\"" + leader + "\",member=");
        long writes = metric(text, "raftkit_writes_total{node=\"" + leader + "\"}");
        assertThat(writes).isGreaterThanOrEqualTo(5);
        assertThat(metric(text, "raftkit_write_latency_seconds_bucket{node=\"" + leader + "\",le=\"+Inf\"}"))
                .isEqualTo(metric(text, "raftkit_write_latency_seconds_count{node=\"" + leader + "\"}"))
                .isEqualTo(writes);
        // Every sample line is "name{labels} number".
        for (String line : text.split("\n")) {
            if (!line.startsWith("#")) {
                assertThat(line).matches("[a-z_]+\\{node=\"[^\"]+\"(,[a-z]+=\"[^\"]*\")*\\} -?[0-9.E+-]+");
            }
        }
    }

    private static long metric(String text, String series) {
        for (String line : text.split("\n")) {
            if (line.startsWith(series + " ")) {
                return (long) Double.parseDouble(line.substring(series.length() + 1));
            }
        }
        throw new AssertionError("no " + series + " in\n" + text);
    }

    @Test
    void aRequestWhoseBodyNeverArrivesIsAnswered408AndClosed() throws Exception {
        java.net.InetSocketAddress http = cluster.node(cluster.ids().get(0)).httpAddress();
        try (java.net.Socket socket = new java.net.Socket(http.getAddress(), http.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("PUT /kv/slow HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789")
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 408").contains("did not arrive within");
        }
        assertThat(client.get(cluster.url(cluster.ids().get(0)), "slow").status()).isEqualTo(404);
    }

    @Test
    void aMalformedRequestIsAnswered400InWordsWithoutClassNames() throws Exception {
        java.net.InetSocketAddress http = cluster.node(cluster.ids().get(0)).httpAddress();
        try (java.net.Socket socket = new java.net.Socket(http.getAddress(), http.getPort())) {
            socket.setSoTimeout(30_000);
            String longHeader = "X-Long: " + "a".repeat(20_000);
            socket.getOutputStream().write(("GET /status HTTP/1.1\r\nHost: x\r\n" + longHeader
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 400").contains("malformed HTTP request")
                    .doesNotContain("Exception").doesNotContain("io.netty");
        }
    }

    @Test
    void pipelinedRequestsOnOneConnectionAreAnsweredInOrder() throws Exception {
        // Many concurrent requests over HTTP/1.1 keep-alive connections: every answer matches its request.
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String url = cluster.url(cluster.ids().get(2));
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            HttpRequest put = HttpRequest.newBuilder(URI.create(url + "/kv/many" + i))
                    .PUT(HttpRequest.BodyPublishers.ofString("v" + i)).build();
            replies.add(http.sendAsync(put, HttpResponse.BodyHandlers.ofString()));
        }
        for (var reply : replies) {
            assertThat(reply.get().statusCode()).isEqualTo(200);
        }
        for (int i = 0; i < 100; i += 10) {
            KvHttpClient.Reply r = client.get(url, "many" + i, "stale");
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("v" + i);
        }
    }
}
