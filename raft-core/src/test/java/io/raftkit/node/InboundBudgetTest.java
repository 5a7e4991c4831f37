package io.raftkit.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.core.Entry;
import io.raftkit.core.message.AppendRequest;
import io.raftkit.core.message.Heartbeat;
import io.raftkit.core.message.Message;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A flooding peer is held to its own budget; the others' messages still get in; taking frees room. */
class InboundBudgetTest {

    private static Message append(String from, int entries, int bytes) {
        List<Entry> list = new java.util.ArrayList<>();
        for (int i = 1; i <= entries; i++) {
            list.add(Entry.command(1, i, new byte[bytes]));
        }
        return new AppendRequest(from, "n1", 1, 0, 0, list, 0);
    }

    @Test
    void aFloodingPeerIsDroppedPastItsBudgetWhileAnotherStillGetsIn() {
        InboundBudget budget = new InboundBudget(10_000);
        Message big = append("n2", 10, 100); // 10 x 124 + 64 = 1,304 bytes
        assertThat(InboundBudget.bytesOf(big)).isEqualTo(1_304);
        int admitted = 0;
        for (int i = 0; i < 100; i++) {
            if (budget.admit(big)) {
                admitted++;
            }
        }
        assertThat(admitted).isEqualTo(7); // 7 x 1,304 = 9,128; an 8th would pass 10,000
        assertThat(budget.dropped.sum()).isEqualTo(93);
        assertThat(budget.waiting("n2")).isEqualTo(7 * 1_304);

        assertThat(budget.admit(new Heartbeat("n3", "n1", 1, 0, 0))).as("another peer's message").isTrue();

        budget.taken(big);
        assertThat(budget.admit(big)).as("room again once the loop took one").isTrue();
    }

    @Test
    void aMessageLargerThanTheBudgetGetsInWhenItsSenderHasNothingWaiting() {
        InboundBudget budget = new InboundBudget(1_000);
        Message huge = append("n2", 1, 5_000);
        assertThat(budget.admit(huge)).isTrue();
        assertThat(budget.admit(huge)).isFalse();
        budget.taken(huge);
        assertThat(budget.waiting("n2")).isZero();
        assertThat(budget.admit(huge)).isTrue();
    }
}
