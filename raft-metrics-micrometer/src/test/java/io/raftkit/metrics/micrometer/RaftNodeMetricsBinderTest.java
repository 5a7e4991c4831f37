package io.raftkit.metrics.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.raftkit.core.StateMachine;
import io.raftkit.node.NodeOptions;
import io.raftkit.node.RaftNode;
import io.raftkit.testkit.memory.InMemoryLogStorage;
import io.raftkit.testkit.memory.InMemoryNetwork;
import io.raftkit.testkit.memory.InMemorySnapshotStore;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RaftNodeMetricsBinderTest {

    /** Counts the commands it applies. */
    private static final class Count implements StateMachine {
        long n;

        @Override
        public byte[] apply(long index, byte[] command) {
            n++;
            return new byte[0];
        }

        @Override
        public byte[] query(byte[] query) {
            return Long.toString(n).getBytes();
        }

        @Override
        public void writeSnapshot(OutputStream out) throws java.io.IOException {
            out.write(Long.toString(n).getBytes());
        }

        @Override
        public void restoreSnapshot(InputStream in) throws java.io.IOException {
            n = Long.parseLong(new String(in.readAllBytes()));
        }
    }

    @Test
    void theRegistryReadsTheNodesCountersGaugesAndLatencies() throws Exception {
        InMemoryNetwork network = new InMemoryNetwork();
        try (RaftNode node = RaftNode.builder().id("solo").members(Map.of("solo", "mem:solo"))
                .stateMachine(new Count()).transport(network.transport("solo"))
                .logStorage(new InMemoryLogStorage()).snapshotStore(new InMemorySnapshotStore())
                .options(NodeOptions.builder().tickInterval(Duration.ofMillis(10)).build())
                .build()) {
            node.start();
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new RaftNodeMetricsBinder(node, Tag.of("group", "test")).bindTo(registry);
            node.awaitLeader(Duration.ofSeconds(20)).get(30, TimeUnit.SECONDS);
            for (int i = 0; i < 7; i++) {
                node.submit(new byte[] {1}).get(20, TimeUnit.SECONDS);
            }
            node.query(new byte[0]).get(20, TimeUnit.SECONDS);

            assertThat(registry.get("raftkit.writes").tags("node", "solo", "group", "test").functionCounter().count())
                    .isEqualTo(7);
            assertThat(registry.get("raftkit.reads").functionCounter().count()).isEqualTo(1);
            assertThat(registry.get("raftkit.leader").gauge().value()).isEqualTo(1);
            assertThat(registry.get("raftkit.applies.on.event.loop").gauge().value()).isEqualTo(1);
            assertThat(registry.get("raftkit.commit.index").gauge().value()).isGreaterThanOrEqualTo(7);
            FunctionTimer writes = registry.get("raftkit.write.latency").functionTimer();
            assertThat(writes.count()).isEqualTo(7);
            assertThat(writes.totalTime(TimeUnit.NANOSECONDS)).isPositive();
            assertThat(registry.get("raftkit.persist.latency").functionTimer().count()).isPositive();
            assertThat(registry.get("raftkit.members.lag.max").gauge().value()).isZero();
            node.openSession().get(20, TimeUnit.SECONDS).submit(new byte[] {1}).get(20, TimeUnit.SECONDS);
            assertThat(registry.get("raftkit.sessions.open").gauge().value()).isEqualTo(1);
            assertThat(registry.get("raftkit.sessions.answer.bytes").gauge().value()).isPositive();
        }
    }
}
