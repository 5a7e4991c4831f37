package io.raftkit.examples.kvstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One of three members up: it can elect no leader, so writes and fresh reads are 503, stale reads work. */
class KvHttpNoQuorumTest {

    @TempDir
    Path dir;

    @Test
    void withOnlyOneOfThreeNodesUpWritesAndFreshReadsAre503() throws Exception {
        KvHttpClient client = new KvHttpClient();
        try (InProcessCluster cluster = new InProcessCluster(dir, 800)) {
            cluster.start("n1");
            String url = cluster.url("n1");
            KvHttpClient.Status status = client.status(url);
            assertThat(status.leader()).isNull();
            assertThat(status.isLeader()).isFalse();

            KvHttpClient.Reply put = client.put(url, "k", "v");
            assertThat(put.status()).isEqualTo(503);
            assertThat(put.text()).startsWith("no leader");
            assertThat(client.compareAndSet(url, "k", "", "v").status()).isEqualTo(503);
            assertThat(client.delete(url, "k").status()).isEqualTo(503);
            assertThat(client.get(url, "k").status()).isEqualTo(503);
            assertThat(client.get(url, "k", "lease").status()).isEqualTo(503);
            // A stale read answers from the local state at once.
            assertThat(client.get(url, "k", "stale").status()).isEqualTo(404);
        }
    }
}
