package io.raftkit.node;

import static io.raftkit.node.TestKv.put;
import static io.raftkit.node.TestKv.str;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.testkit.TestCluster;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A caller's arrays stay the caller's: reusing a buffer after {@code submit} changes nothing replicated. */
class CommandOwnershipTest {

    @Test
    void aBufferReusedAfterSubmitDoesNotChangeTheLog() throws Exception {
        try (TestCluster<TestKv> c = TestCluster.builder(TestKv::new).build()) {
            String leader = c.awaitLeader();
            byte[] buffer = put("k", "original");
            c.node(leader).submit(buffer).get(20, TimeUnit.SECONDS);
            // The caller reuses its buffer for the next command, as a serializer with a pooled buffer would.
            byte[] next = put("k", "SCRIBBLE");
            System.arraycopy(next, 0, buffer, 0, Math.min(next.length, buffer.length));

            // A node added now gets the entry from the leader's log, not from the caller's memory.
            c.addJoiningNode("n4");
            c.node(leader).addLearner("n4", "mem:n4").get(20, TimeUnit.SECONDS);
            c.awaitApplied(c.node(leader).status().commitIndex());
            assertThat(c.stateMachine("n4").copy()).containsEntry("k", "original");
            assertThat(str(c.node(leader).query("k".getBytes(StandardCharsets.UTF_8)).get(20, TimeUnit.SECONDS)))
                    .isEqualTo("original");
        }
    }

    @Test
    void aQueryBufferReusedAfterTheCallDoesNotChangeTheQuery() throws Exception {
        try (TestCluster<TestKv> c = TestCluster.builder(TestKv::new).build()) {
            String leader = c.awaitLeader();
            c.node(leader).submit(put("a", "1")).get(20, TimeUnit.SECONDS);
            String follower = c.ids().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
            byte[] query = "a".getBytes(StandardCharsets.UTF_8);
            // A linearizable read on a follower waits for a read index from the leader before it runs.
            var answer = c.node(follower).query(query);
            Arrays.fill(query, (byte) 'z');
            assertThat(str(answer.get(20, TimeUnit.SECONDS))).isEqualTo("1");
        }
    }
}
