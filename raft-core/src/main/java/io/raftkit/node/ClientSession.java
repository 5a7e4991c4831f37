package io.raftkit.node;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * A client session: commands submitted through it take effect exactly once, however often they are
 * retried. Open one with {@link RaftNode#openSession()}.
 *
 * <pre>{@code
 * ClientSession session = node.openSession().get();
 * byte[] balance = session.submit(incrementCommand).get();   // applied once, even across leader changes
 * session.close();
 * }</pre>
 *
 * <h2>How</h2>
 * Each command gets the next sequence number of the session. The group keeps, in its replicated state,
 * the answers to the session's commands that this object has not yet acknowledged (it acknowledges an
 * answer by sending, with later commands, the lowest sequence number still waiting). A command that
 * arrives again with a number the group has answered is answered from there and not applied again. So
 * {@link #submit} retries a command by itself, with the same number, whenever its outcome is unknown or
 * nothing happened ({@link IndeterminateException}, {@link NotCommittedException}, {@link NoLeaderException},
 * {@link RequestTimeoutException}, an overloaded node), until it gets the one answer or
 * {@link SessionOptions#retryTimeout} passes.
 *
 * <h2>Failures</h2>
 * A command fails with {@link SessionExpiredException} when the session expired ({@link SessionOptions#timeout}
 * without a command; nothing was applied), with {@link IndeterminateException} when retries ran out while
 * its outcome was unknown, and with the other errors of {@link RaftNode#submit} that retrying cannot help
 * (too large, node closed or failed). Commands submitted concurrently through one session are applied in
 * the order the leader receives them, as with {@link RaftNode#submit}.
 *
 * <p>Thread-safe. The session lives in the group, not in this object: it survives leader changes,
 * restarts and snapshots, and ends with {@link #close()} or by expiring.
 */
public final class ClientSession {

    private static final long FIRST_BACKOFF_MILLIS = 5;
    private static final long MAX_BACKOFF_MILLIS = 200;

    private final RaftNode node;
    private final long id;
    private final long retryTimeoutNanos;
    /**
     * Sequence numbers submitted and not yet answered (or given up), and the next one to hand out. One
     * lock for both: a number must be waiting before any later number's command can acknowledge below it,
     * or a command sent a moment later would be refused as acknowledged already.
     */
    private final java.util.TreeSet<Long> waiting = new java.util.TreeSet<>();
    private long nextSequence = 1;

    ClientSession(RaftNode node, long id, long retryTimeoutNanos) {
        this.node = node;
        this.id = id;
        this.retryTimeoutNanos = retryTimeoutNanos;
    }

    /** The session's id in the group (the log index of the entry that opened it). */
    public long id() {
        return id;
    }

    /**
     * Replicates {@code command} as {@link RaftNode#submit} does, once: retried by itself until its one
     * outcome is known. The node copies {@code command}.
     */
    public CompletableFuture<byte[]> submit(byte[] command) {
        Objects.requireNonNull(command, "command");
        long sequence;
        synchronized (waiting) {
            sequence = nextSequence++;
            waiting.add(sequence);
        }
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        result.whenComplete((v, e) -> {
            synchronized (waiting) {
                waiting.remove(sequence);
            }
        });
        attempt(command, null, sequence, node.nanoTime() + retryTimeoutNanos, FIRST_BACKOFF_MILLIS, result);
        return node.handOut(result);
    }

    /**
     * One sending. The first encodes the caller's array into the record (the one copy the node makes of a
     * command); a retry re-encodes from the previous record, as the caller may have reused its array.
     */
    private void attempt(byte[] command, byte[] previous, long sequence, long deadline, long backoffMillis,
                         CompletableFuture<byte[]> result) {
        long ackedBelow;
        synchronized (waiting) {
            ackedBelow = waiting.isEmpty() ? sequence : Math.min(waiting.first(), sequence);
        }
        byte[] record = previous == null
                ? new SessionRecord.Command(node.wallMillis(), id, sequence, ackedBelow, command).encode()
                : SessionRecord.Command.restamp(previous, node.wallMillis(), ackedBelow);
        int commandBytes = record.length - SessionRecord.Command.HEADER;
        node.submitSessionRecord(record, commandBytes).whenComplete((answer, error) -> {
            if (error == null) {
                result.complete(answer);
                return;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (!retryable(cause)) {
                result.completeExceptionally(cause);
            } else if (node.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMillis) - deadline > 0) {
                result.completeExceptionally(new IndeterminateException("command " + sequence + " of client session "
                        + id + " got no answer within SessionOptions.retryTimeout; last: " + cause.getMessage()));
            } else {
                CompletableFuture.delayedExecutor(backoffMillis, TimeUnit.MILLISECONDS).execute(() -> attempt(
                        null, record, sequence, deadline, Math.min(backoffMillis * 2, MAX_BACKOFF_MILLIS), result));
            }
        });
    }

    /** Whether sending the same sequence number again may get the answer: the group dedups it. */
    private static boolean retryable(Throwable e) {
        if (e instanceof RequestRejectedException r) {
            return r.reason() == RequestRejectedException.Reason.OVERLOADED
                    || r.reason() == RequestRejectedException.Reason.SESSION_BACKLOG;
        }
        return e instanceof IndeterminateException || e instanceof NotCommittedException
                || e instanceof NoLeaderException || e instanceof RequestTimeoutException;
    }

    /**
     * Ends the session in the group, dropping the answers it keeps; its commands not applied by then fail
     * with {@link SessionExpiredException}. Completes
     * once the end is applied on this node.
     */
    public CompletableFuture<Void> close() {
        return node.closeSession(id);
    }

    @Override
    public String toString() {
        return "ClientSession[" + id + " on " + node.nodeId() + "]";
    }
}
