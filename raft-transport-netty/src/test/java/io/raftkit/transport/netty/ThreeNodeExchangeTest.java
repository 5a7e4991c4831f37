package io.raftkit.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.core.contract.SampleMessages;
import io.raftkit.core.message.Message;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ThreeNodeExchangeTest {

    private static final List<String> IDS = List.of("n1", "n2", "n3");
    private final Map<String, String> members = LoopbackPorts.members(IDS);
    private final Map<String, TestNode> nodes = new LinkedHashMap<>();

    @AfterEach
    void closeAll() {
        nodes.values().forEach(TestNode::close);
    }

    @Test
    void everyNodeSendsEveryMessageTypeToEveryOther() throws Exception {
        for (String id : IDS) {
            nodes.put(id, TestNode.start(id, members));
        }
        for (String from : IDS) {
            for (String to : IDS) {
                if (!from.equals(to)) {
                    SampleMessages.all(from, to).forEach(nodes.get(from).transport::send);
                }
            }
        }
        int perSender = SampleMessages.all("a", "b").size();
        for (String to : IDS) {
            Map<String, List<Message>> bySender = new LinkedHashMap<>();
            for (int i = 0; i < perSender * (IDS.size() - 1); i++) {
                Message m = nodes.get(to).poll();
                assertThat(m).as("message %d to %s", i, to).isNotNull();
                bySender.computeIfAbsent(m.from(), k -> new ArrayList<>()).add(m);
            }
            for (String from : IDS) {
                if (!from.equals(to)) {
                    assertThat(bySender.get(from)).as("%s -> %s", from, to)
                            .containsExactlyElementsOf(SampleMessages.all(from, to));
                }
            }
        }
        for (TestNode node : nodes.values()) {
            TransportStats stats = node.stats();
            assertThat(stats.messagesDropped()).isZero();
            assertThat(stats.messagesReceived()).isEqualTo(2L * perSender);
            assertThat(stats.protocolErrors()).isZero();
        }
    }
}
