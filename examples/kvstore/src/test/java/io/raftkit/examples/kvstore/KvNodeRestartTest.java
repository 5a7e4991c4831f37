package io.raftkit.examples.kvstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Restarts from the data directory: a lagging follower, the whole cluster, and misuse of a directory. */
class KvNodeRestartTest {

    private static final Duration AWAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final KvHttpClient client = new KvHttpClient();

    private String awaitLeader(InProcessCluster cluster, List<String> ids) {
        String[] leader = new String[1];
        Await.until("a leader", AWAIT, () -> {
            for (String id : ids) {
                KvHttpClient.Status s = client.status(cluster.url(id));
                if (s.isLeader()) {
                    leader[0] = id;
                    return true;
                }
            }
            return false;
        });
        return leader[0];
    }

    private void put(InProcessCluster cluster, String id, String key, String value) {
        Await.until("PUT " + key, AWAIT, () -> client.put(cluster.url(id), key, value).status() == 200);
    }

    @Test
    void aFollowerRestartedAfterTheLogWasCompactedCatchesUpAndTheWholeClusterRestartsFromDisk() throws Exception {
        try (InProcessCluster cluster = new InProcessCluster(dir, 3_000)) {
            cluster.startAll();
            String leader = awaitLeader(cluster, cluster.ids());
            String follower = cluster.ids().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
            for (int i = 0; i < 60; i++) {
                put(cluster, leader, "a" + i, "v" + i);
            }
            cluster.stop(follower);
            for (int i = 0; i < 3 * InProcessCluster.SNAPSHOT_EVERY; i++) {
                put(cluster, leader, "b" + i, "w" + i);
            }
            Await.until("a snapshot on the leader", AWAIT,
                    () -> cluster.node(leader).raft().status().lastSnapshotIndex() > 60);
            cluster.start(follower);
            long commit = cluster.node(leader).raft().status().commitIndex();
            Await.until(follower + " applying " + commit, AWAIT,
                    () -> client.status(cluster.url(follower)).appliedIndex() >= commit);
            assertThat(client.get(cluster.url(follower), "a7", "stale").text()).isEqualTo("v7");
            assertThat(client.get(cluster.url(follower), "b149", "stale").text()).isEqualTo("w149");

            // Every node stops; all come back from their directories with the same data.
            for (String id : cluster.ids()) {
                cluster.stop(id);
            }
            cluster.startAll();
            String next = awaitLeader(cluster, cluster.ids());
            for (String id : cluster.ids()) {
                assertThat(client.get(cluster.url(id), "a59").text()).isEqualTo("v59");
                assertThat(client.get(cluster.url(id), "b0").text()).isEqualTo("w0");
            }
            assertThat(client.compareAndSet(cluster.url(next), "b0", "w0", "after restart").status()).isEqualTo(200);
        }
    }

    @Test
    void aDataDirectoryServesOneProcessAndOneNodeIdOnly() throws Exception {
        try (InProcessCluster cluster = new InProcessCluster(dir, 3_000)) {
            cluster.start("n1");
            assertThatThrownBy(() -> KvNode.start(cluster.arguments("n1"))).isInstanceOf(IOException.class)
                    .hasMessageContaining("is in use");
            cluster.stop("n1");
            ServerArguments n2 = cluster.arguments("n2");
            ServerArguments n2InN1sDirectory = new ServerArguments("n2", cluster.arguments("n1").dataDir(), n2.raft(),
                    n2.http(), n2.peers(), n2.tickMillis(), n2.requestTimeoutMillis(), n2.snapshotEvery());
            assertThatThrownBy(() -> KvNode.start(n2InN1sDirectory)).isInstanceOf(IOException.class)
                    .hasMessageContaining("belongs to node n1");
            // The refused starts released everything: n1 starts again on its directory.
            cluster.start("n1");
        }
    }
}
