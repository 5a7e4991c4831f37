package com.example.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.raftkit.testkit.TestCluster;
import io.raftkit.testkit.check.StateMachineCheck;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A project outside RaftKit's build tests its own state machine with raft-testkit, in a few lines. */
class TestkitTest {

    @Test
    void theServicesStateMachinePassesTheTestkitsChecks() {
        StateMachineCheck.of(SmokeTest.Log::new)
                .commands(200, 1, random -> ("x" + random.nextInt(10)).getBytes(StandardCharsets.UTF_8))
                .queries(List.of(new byte[0]))
                .assertPasses();
    }

    @Test
    void theServicesStateMachineReplicatesOnAnInMemoryCluster() throws Exception {
        try (TestCluster<SmokeTest.Log> cluster = TestCluster.builder(SmokeTest.Log::new).build()) {
            String leader = cluster.awaitLeader();
            cluster.node(leader).submit("a".getBytes(StandardCharsets.UTF_8)).get(30, TimeUnit.SECONDS);
            cluster.isolate(leader);
            String next = cluster.awaitLeaderAmong(cluster.others(leader));
            cluster.node(next).submit("b".getBytes(StandardCharsets.UTF_8)).get(30, TimeUnit.SECONDS);
            assertEquals("ab", new String(cluster.node(next).query(new byte[0]).get(30, TimeUnit.SECONDS),
                    StandardCharsets.UTF_8));
        }
    }
}
