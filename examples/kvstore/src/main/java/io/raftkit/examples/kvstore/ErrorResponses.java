package io.raftkit.examples.kvstore;

import io.raftkit.node.IndeterminateException;
import io.raftkit.node.NoLeaderException;
import io.raftkit.node.NodeClosedException;
import io.raftkit.node.NodeFailedException;
import io.raftkit.node.NotCommittedException;
import io.raftkit.node.RaftException;
import io.raftkit.node.RequestRejectedException;
import io.raftkit.node.RequestTimeoutException;
import io.raftkit.node.SessionExpiredException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * The HTTP answer to a failed request. The rule that matters: a write whose outcome is unknown is
 * never answered as a success, and its answer says that the outcome is unknown (so the client reads
 * before retrying a compare-and-set).
 *
 * <table>
 *   <caption>failure to status</caption>
 *   <tr><td>NoLeaderException</td><td>503 no leader (nothing happened)</td></tr>
 *   <tr><td>NotCommittedException</td><td>503 not committed (nothing happened)</td></tr>
 *   <tr><td>IndeterminateException, a timeout</td><td>504 outcome unknown</td></tr>
 *   <tr><td>RequestRejectedException</td><td>413 when too large, 503 when overloaded, the disk stalled or too
 *       many sessions are open, 429 when the write's session keeps too many unacknowledged answers</td></tr>
 *   <tr><td>RequestTimeoutException</td><td>503 for a write (nothing happened), 504 for a read</td></tr>
 *   <tr><td>NodeClosedException, NodeFailedException</td><td>503 not ready; 504 outcome unknown for a write
 *       already handed over</td></tr>
 *   <tr><td>SessionExpiredException (a write in a session)</td><td>410 the session is gone; not applied</td></tr>
 *   <tr><td>RequestRejectedException ALREADY_ACKNOWLEDGED (a write in a session)</td><td>409 its sequence number was acknowledged
 *       already; not applied again</td></tr>
 *   <tr><td>anything else</td><td>500</td></tr>
 * </table>
 * A write in a session that may have taken effect is answered 504 too, but its advice differs: retry with
 * the same headers, since the session applies it at most once.
 */
final class ErrorResponses {

    private ErrorResponses() {}

    /** The answer to a write (PUT, DELETE, compare-and-set) that failed with {@code failure}. */
    static KvResponse forWrite(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof TimeoutException || t instanceof IndeterminateException) {
            return KvResponse.text(504, "outcome unknown: the write may or may not have been committed ("
                    + message(t) + "); read the key before retrying");
        }
        KvResponse r = common(t);
        if (t instanceof RaftException e && e.mayHaveTakenEffect() && r.status() != 500) {
            // 503 promises that nothing was done; this write was handed to the group first.
            return KvResponse.text(504, new String(r.body(), java.nio.charset.StandardCharsets.UTF_8).strip()
                    + "; outcome unknown: the write may have been committed; read the key before retrying");
        }
        return r;
    }

    /**
     * The answer to a write sent with session headers ({@link SessionHeaders}) that failed with
     * {@code failure}. Only a failure from the group ever reaches here: a retry that finds the write
     * applied completes with its saved result, which {@code KvService} answers as the first attempt was.
     */
    static KvResponse forSessionWrite(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof SessionExpiredException) {
            return KvResponse.text(410, "session gone: " + message(t) + ". Open a new one (POST /sessions). If an"
                    + " earlier attempt at this write went unanswered, read the key: whether it took effect can no"
                    + " longer be learnt from the session");
        }
        if (t instanceof RequestRejectedException r && r.reason() == RequestRejectedException.Reason.ALREADY_ACKNOWLEDGED) {
            // A sequence number below an earlier Raft-Acked-Below.
            return KvResponse.text(409, "already acknowledged: " + message(t) + ". A later write of the session"
                    + " said (by its " + SessionHeaders.ACKED_BELOW + ", by default its own " + SessionHeaders.SEQUENCE
                    + ") that its client holds this answer, so the session no longer keeps it");
        }
        KvResponse r = forWrite(t);
        if (r.status() == 504) {
            return KvResponse.text(504, "outcome unknown: the write may or may not have been committed (" + message(t)
                    + "); retry it with the same " + SessionHeaders.SESSION + " and " + SessionHeaders.SEQUENCE
                    + " headers, on any node: the session applies it at most once and answers the retry with its"
                    + " result");
        }
        return r;
    }

    /** The answer to {@code POST /sessions} that failed with {@code failure}. */
    static KvResponse forOpenSession(Throwable failure) {
        KvResponse r = forWrite(failure);
        if (r.status() == 504) {
            return KvResponse.text(504, "outcome unknown: a session may or may not have been opened ("
                    + message(unwrap(failure)) + "); open another: one left unused expires by itself");
        }
        return r;
    }

    /** The answer to {@code DELETE /sessions/{id}} that failed with {@code failure}. */
    static KvResponse forCloseSession(Throwable failure) {
        KvResponse r = forWrite(failure);
        if (r.status() == 504) {
            return KvResponse.text(504, "outcome unknown: the session may or may not have been closed ("
                    + message(unwrap(failure)) + "); closing twice does no harm, so retry");
        }
        return r;
    }

    /** The answer to a read that failed with {@code failure}; reads change nothing, so all are retryable. */
    static KvResponse forRead(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof TimeoutException || t instanceof IndeterminateException
                || t instanceof RequestTimeoutException) {
            return KvResponse.text(504, "read timed out: " + message(t));
        }
        return common(t);
    }

    private static KvResponse common(Throwable t) {
        if (t instanceof NoLeaderException) {
            return KvResponse.text(503, "no leader: " + message(t));
        }
        if (t instanceof NotCommittedException) {
            return KvResponse.text(503, "not committed (leadership changed; safe to retry): " + message(t));
        }
        if (t instanceof RequestRejectedException r) {
            return switch (r.reason()) {
                case TOO_LARGE -> KvResponse.text(413, "too large: " + message(t));
                case OVERLOADED -> KvResponse.text(503, "overloaded: " + message(t));
                case DISK_STALLED -> KvResponse.text(503, "this node's disk has stalled: " + message(t));
                case TOO_MANY_SESSIONS -> KvResponse.text(503, "too many client sessions: " + message(t)
                        + "; retry later, and close sessions no longer used (DELETE /sessions/{id})");
                case SESSION_BACKLOG -> KvResponse.text(429, "session backlog: " + message(t) + "; once earlier"
                        + " writes of the session are answered, retry this one with the same " + SessionHeaders.SEQUENCE
                        + " and " + SessionHeaders.ACKED_BELOW + " raised to the lowest write whose answer you lack");
                case ALREADY_ACKNOWLEDGED -> KvResponse.text(409, "already acknowledged: " + message(t));
            };
        }
        if (t instanceof NodeClosedException || t instanceof NodeFailedException) {
            return KvResponse.text(503, "node not ready: " + message(t));
        }
        if (t instanceof RequestTimeoutException) {
            return KvResponse.text(503, "not served in time, nothing was done (safe to retry): " + message(t));
        }
        return KvResponse.text(500, "internal error: " + message(t));
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String message(Throwable t) {
        String m = t.getMessage();
        if (m != null) {
            return m;
        }
        return t instanceof TimeoutException ? "no answer in time" : "no details";
    }
}
