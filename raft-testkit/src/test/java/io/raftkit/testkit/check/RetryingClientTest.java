package io.raftkit.testkit.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.node.NodeOptions;
import io.raftkit.node.RaftException;
import io.raftkit.node.ReadConsistency;
import io.raftkit.testkit.Counter;
import io.raftkit.testkit.TestCluster;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The client-side mistake the checker exists for: retrying a non-idempotent increment after an
 * indeterminate failure. One schedule makes the failure happen every time: the followers take the
 * leader's append but their answers never reach it, then the leader is cut off; the others elect a new
 * leader that commits the increment, while the old leader can only say "may have taken effect".
 */
class RetryingClientTest {

    @Test
    void aClientThatRetriesAnIndeterminateIncrementIsCaught() throws Exception {
        History<String, Long> history = run(true);
        LinearizabilityChecker.Result r = LinearizabilityChecker.check(LinearizabilityCheckerTest.COUNTER, history.operations());
        assertThat(r.linearizable()).as("%s", history.operations()).isFalse();
        assertThat(r.explanation()).contains("op0 inc -> 2");
    }

    @Test
    void aClientThatReportsTheOutcomeAsUnknownIsLinearizable() throws Exception {
        History<String, Long> history = run(false);
        LinearizabilityChecker.Result r = LinearizabilityChecker.check(LinearizabilityCheckerTest.COUNTER, history.operations());
        assertThat(r.linearizable()).as(r.explanation()).isTrue();
        assertThat(history.operations().get(0).outcome()).isEqualTo(Operation.Outcome.UNKNOWN);
    }

    private static History<String, Long> run(boolean retryOnUnknown) throws Exception {
        History<String, Long> history = new History<>();
        // The isolated leader answers the increment "may have taken effect" when its request times out.
        NodeOptions options = NodeOptions.builder().raft(TestCluster.fastOptions(100_000).raft())
                .tickInterval(Duration.ofMillis(10)).requestTimeout(Duration.ofSeconds(1)).build();
        try (TestCluster<Counter> c = TestCluster.builder(Counter::new).options(options).build()) {
            String leader = c.awaitLeader();
            for (String id : c.others(leader)) {
                c.network().cut(id, leader);
            }
            long written = c.logStorage(leader).lastIndex() + 1;
            long op = history.invoke("inc", "client");
            CompletableFuture<byte[]> first = c.node(leader).submit(Counter.add(1));
            TestCluster.await("the followers holding the increment",
                    () -> c.others(leader).stream().allMatch(id -> c.logStorage(id).lastIndex() >= written));
            c.isolate(leader);
            RaftException failure = failureOf(first);
            assertThat(failure.mayHaveTakenEffect()).as("%s", failure).isTrue();
            String next = c.awaitLeaderAmong(c.others(leader));
            if (retryOnUnknown) {
                // The mistake: "it failed, so send it again".
                history.ok(op, Counter.decode(c.node(next).submit(Counter.add(1)).get(5, TimeUnit.SECONDS)));
            } else {
                history.unknown(op);
            }
            long read = history.invoke("get", "client");
            history.ok(read, Counter.decode(c.node(next).query(new byte[0], ReadConsistency.LINEARIZABLE).get(5, TimeUnit.SECONDS)));
        }
        return history;
    }

    private static RaftException failureOf(CompletableFuture<byte[]> f) throws Exception {
        try {
            f.get(20, TimeUnit.SECONDS);
            throw new AssertionError("the increment succeeded although its leader never heard back");
        } catch (ExecutionException e) {
            return (RaftException) e.getCause();
        }
    }
}
