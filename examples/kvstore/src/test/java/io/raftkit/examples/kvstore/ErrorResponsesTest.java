package io.raftkit.examples.kvstore;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.node.IndeterminateException;
import io.raftkit.node.NoLeaderException;
import io.raftkit.node.NodeClosedException;
import io.raftkit.node.RequestTimeoutException;
import io.raftkit.node.NodeFailedException;
import io.raftkit.node.NotCommittedException;
import io.raftkit.node.RaftException;
import io.raftkit.node.RequestRejectedException;
import io.raftkit.node.SessionExpiredException;
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
    void sessionFailuresHaveTheirOwnStatuses() {
        KvResponse gone = ErrorResponses.forSessionWrite(new CompletionException(
                new SessionExpiredException(7, "client session 7 expired")));
        assertThat(gone.status()).isEqualTo(410);
        assertThat(body(gone)).startsWith("session gone: client session 7 expired").contains("POST /sessions");
        KvResponse late = ErrorResponses.forSessionWrite(new RequestRejectedException(
                RequestRejectedException.Reason.ALREADY_ACKNOWLEDGED, "command 1 of client session 7 was"
                + " answered and acknowledged already"));
        assertThat(late.status()).isEqualTo(409);
        assertThat(body(late)).startsWith("already acknowledged").contains("Raft-Acked-Below");
        KvResponse backlog = ErrorResponses.forSessionWrite(new RequestRejectedException(
                RequestRejectedException.Reason.SESSION_BACKLOG, "65536 bytes of unacknowledged answers"));
        assertThat(backlog.status()).isEqualTo(429);
        assertThat(body(backlog)).contains("Raft-Acked-Below");
        KvResponse full = ErrorResponses.forOpenSession(new RequestRejectedException(
                RequestRejectedException.Reason.TOO_MANY_SESSIONS, "10000 client sessions are open"));
        assertThat(full.status()).isEqualTo(503);
        assertThat(body(full)).startsWith("too many client sessions");
        // Outside a session a plain RaftException means nothing known: still a 500, not a 409.
        assertThat(ErrorResponses.forWrite(new RaftException("?")).status()).isEqualTo(500);
    }

    @Test
    void aSessionWriteWhoseOutcomeIsUnknownSaysToRetryWithTheSameHeaders() {
        for (Throwable t : new Throwable[] {new IndeterminateException("leader changed"), new TimeoutException(),
                new NodeClosedException("closed while in flight", true)}) {
            KvResponse r = ErrorResponses.forSessionWrite(new CompletionException(t));
            assertThat(r.status()).as("%s", t).isEqualTo(504);
            assertThat(body(r)).as("%s", t).contains("outcome unknown", "same Raft-Session and Raft-Sequence")
                    .doesNotContain("Exception");
        }
        // Nothing happened: the same 503 as without a session.
        assertThat(ErrorResponses.forSessionWrite(new NoLeaderException("no leader")).status()).isEqualTo(503);
        assertThat(ErrorResponses.forOpenSession(new IndeterminateException("x")))
                .satisfies(r -> assertThat(r.status()).isEqualTo(504))
                .satisfies(r -> assertThat(body(r)).contains("a session may or may not have been opened"));
        assertThat(ErrorResponses.forCloseSession(new TimeoutException()))
                .satisfies(r -> assertThat(r.status()).isEqualTo(504))
                .satisfies(r -> assertThat(body(r)).contains("retry"));
    }

    @Test
    void anythingElseIs500() {
        assertThat(ErrorResponses.forWrite(new IllegalStateException("bug")).status()).isEqualTo(500);
    }
}
