package io.raftkit.examples.kvstore;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * For test classes whose tests share one three-node {@link InProcessCluster}, started once, with a leader
 * every node agrees on before the first test, and closed after the last.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SharedClusterTest {

    static final Duration AWAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;

    InProcessCluster cluster;
    final KvHttpClient client = new KvHttpClient();

    @BeforeAll
    void startCluster() throws Exception {
        cluster = new InProcessCluster(dir, 3_000);
        cluster.startAll();
        cluster.awaitAgreedLeader(client, AWAIT);
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }
}
