package io.raftkit.examples.kvstore;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.node.IndeterminateException;
import io.raftkit.node.NoLeaderException;
import io.raftkit.node.NodeClosedException;
import io.raftkit.node.RequestTimeoutException;
import io.raftkit.node.NodeFailedException;
import io.raftkit.node.NotCommittedException;
import io.raftkit.node.RequestRejectedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class ErrorResponsesTest {

    private static String body(KvResponse r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void aWriteWhoseOutcomeIsUnknownIsNeverASuccessAndSaysSo() {
        for (Throwable t : new Throwable[] {new IndeterminateException("leader changed"), new TimeoutException(),
                new NodeFailedException("disk", new IOException("disk")),
                new NodeClosedException("closed while in flight", true)}) {
            KvResponse r = ErrorResponses.forWrite(new CompletionException(t));
            // 503 would promise that nothing was done.
            assertThat(r.status()).as("%s", t).isEqualTo(504);
            assertThat(body(r)).as("%s", t).contains("outcome unknown");
        }
        assertThat(ErrorResponses.forWrite(new IndeterminateException("x")).status()).isEqualTo(504);
    }

    @Test
    void failuresThatChangedNothingAre503WithAReason() {
        assertThat(ErrorResponses.forWrite(new NoLeaderException("no leader in 5 s")))
                .satisfies(r -> assertThat(r.status()).isEqualTo(503))
                .satisfies(r -> assertThat(body(r)).startsWith("no leader").doesNotContain("outcome unknown"));
        assertThat(ErrorResponses.forWrite(new NotCommittedException("replaced")).status()).isEqualTo(503);
        assertThat(ErrorResponses.forWrite(new RequestRejectedException(RequestRejectedException.Reason.OVERLOADED,
                "too many pending")).status()).isEqualTo(503);
        assertThat(ErrorResponses.forWrite(new RequestRejectedException(RequestRejectedException.Reason.TOO_LARGE,
                "too large")).status()).isEqualTo(413);
        assertThat(ErrorResponses.forWrite(new NodeClosedException("not started", false)))
                .satisfies(r -> assertThat(body(r)).startsWith("node not ready").doesNotContain("outcome unknown"));
    }

    @Test
    void readFailuresMapTheSameWayWithoutTheWriteCaveat() {
        assertThat(ErrorResponses.forRead(new NoLeaderException("x")).status()).isEqualTo(503);
        assertThat(ErrorResponses.forRead(new NodeFailedException("x", new IOException())).status()).isEqualTo(503);
        assertThat(ErrorResponses.forRead(new TimeoutException()).status()).isEqualTo(504);
        assertThat(ErrorResponses.forRead(new RequestTimeoutException("not served within 5 s")).status())
                .as("a read not served in time with a leader known").isEqualTo(504);
        assertThat(ErrorResponses.forWrite(new RequestTimeoutException("not served within 5 s")).status())
                .as("a write that never reached a leader: nothing was done").isEqualTo(503);
        assertThat(body(ErrorResponses.forWrite(new TimeoutException()))).doesNotContain("Exception");
        assertThat(body(ErrorResponses.forRead(new NodeFailedException("x", new IOException()))))
                .doesNotContain("outcome unknown");
    }

    @Test
    void anythingElseIs500() {
        assertThat(ErrorResponses.forWrite(new IllegalStateException("bug")).status()).isEqualTo(500);
    }
}
