package io.raftkit.examples.kvstore;

import io.raftkit.node.IndeterminateException;
import io.raftkit.node.NoLeaderException;
import io.raftkit.node.NodeClosedException;
import io.raftkit.node.NodeFailedException;
import io.raftkit.node.NotCommittedException;
import io.raftkit.node.RaftException;
import io.raftkit.node.RequestRejectedException;
import io.raftkit.node.RequestTimeoutException;
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
 *   <tr><td>RequestRejectedException</td><td>413 when too large, 503 when overloaded or the disk stalled</td></tr>
 *   <tr><td>RequestTimeoutException</td><td>503 for a write (nothing happened), 504 for a read</td></tr>
 *   <tr><td>NodeClosedException, NodeFailedException</td><td>503 not ready; 504 outcome unknown for a write
 *       already handed over</td></tr>
 *   <tr><td>anything else</td><td>500</td></tr>
 * </table>
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
