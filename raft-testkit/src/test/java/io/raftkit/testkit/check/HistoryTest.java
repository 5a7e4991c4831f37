package io.raftkit.testkit.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkit.node.IndeterminateException;
import io.raftkit.node.NoLeaderException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class HistoryTest {

    @Test
    void recordFollowsRaftKitsOutcomeRules() {
        History<String, String> h = new History<>();
        long ok = h.invoke("a", "c");
        assertThat(h.record(ok, CompletableFuture.completedFuture(new byte[] {7}), Duration.ofSeconds(1), b -> "got" + b[0]))
                .isTrue();
        long refused = h.invoke("b", "c");
        h.record(refused, CompletableFuture.failedFuture(new NoLeaderException("no leader")), Duration.ofSeconds(1), b -> "");
        long lost = h.invoke("c", "c");
        h.record(lost, CompletableFuture.failedFuture(new IndeterminateException("lost")), Duration.ofSeconds(1), b -> "");
        long slow = h.invoke("d", "c");
        h.record(slow, new CompletableFuture<>(), Duration.ofMillis(1), b -> "");
        long odd = h.invoke("e", "c");
        h.record(odd, CompletableFuture.failedFuture(new IllegalStateException("not RaftKit's")), Duration.ofSeconds(1), b -> "");

        assertThat(h.operations()).extracting(Operation::outcome).containsExactly(Operation.Outcome.OK,
                Operation.Outcome.FAILED, Operation.Outcome.UNKNOWN, Operation.Outcome.UNKNOWN, Operation.Outcome.UNKNOWN);
        assertThat(h.operations().get(0).output()).isEqualTo("got7");
        assertThat(h.operations().get(0).complete()).isGreaterThan(h.operations().get(0).invoke());
        assertThat(h.operations().get(2).complete()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void anOperationEndsOnce() {
        History<String, String> h = new History<>();
        long op = h.invoke("a", null);
        h.ok(op, "x");
        assertThatThrownBy(() -> h.failed(op)).isInstanceOf(IllegalStateException.class).hasMessageContaining("already ended");
        assertThatThrownBy(() -> h.ok(5, "x")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no operation 5");
        assertThatThrownBy(() -> h.invoke(null, "c")).isInstanceOf(NullPointerException.class);
    }
}
