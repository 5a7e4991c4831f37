package io.raftkit.node;

import java.time.Duration;

/**
 * Settings of {@link ClientSession client sessions}. The first three travel in the log with each session
 * that is opened, so every node applies the same limits to it whatever its own settings say.
 *
 * @param timeout a session with no command for this long (by the time logged with session records)
 *     expires: its saved answers are dropped and its commands fail with {@link SessionExpiredException}
 * @param maxSessions most sessions open at once; opening one more fails with
 *     {@link RequestRejectedException.Reason#TOO_MANY_SESSIONS}
 * @param maxResponseBytes most bytes of answers one session keeps for commands its client has not yet
 *     acknowledged (each answer counts its length plus 16); past it a new command fails with
 *     {@link RequestRejectedException.Reason#SESSION_BACKLOG} without being applied. With the defaults a
 *     group keeps at most {@code maxSessions * maxResponseBytes} (640 MiB) of answers on every node
 * @param retryTimeout how long {@link ClientSession#submit} keeps retrying a command before it gives up
 */
public record SessionOptions(Duration timeout, int maxSessions, int maxResponseBytes, Duration retryTimeout) {

    public SessionOptions {
        check(timeout != null && !timeout.isNegative() && !timeout.isZero(), "timeout must be positive, got " + timeout);
        check(maxSessions >= 1, "maxSessions must be >= 1, got " + maxSessions);
        check(maxResponseBytes >= 1, "maxResponseBytes must be >= 1, got " + maxResponseBytes);
        check(retryTimeout != null && !retryTimeout.isNegative() && !retryTimeout.isZero(),
                "retryTimeout must be positive, got " + retryTimeout);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("invalid SessionOptions: " + message);
        }
    }

    /** 10 minutes, 10,000 sessions, 64 KiB of answers each, retries for 30 s. */
    public static SessionOptions defaults() {
        return new SessionOptions(Duration.ofMinutes(10), 10_000, 64 << 10, Duration.ofSeconds(30));
    }

    /** A copy with {@code timeout} changed. */
    public SessionOptions withTimeout(Duration v) {
        return new SessionOptions(v, maxSessions, maxResponseBytes, retryTimeout);
    }

    /** A copy with {@code maxSessions} changed. */
    public SessionOptions withMaxSessions(int v) {
        return new SessionOptions(timeout, v, maxResponseBytes, retryTimeout);
    }

    /** A copy with {@code maxResponseBytes} changed. */
    public SessionOptions withMaxResponseBytes(int v) {
        return new SessionOptions(timeout, maxSessions, v, retryTimeout);
    }

    /** A copy with {@code retryTimeout} changed. */
    public SessionOptions withRetryTimeout(Duration v) {
        return new SessionOptions(timeout, maxSessions, maxResponseBytes, v);
    }
}
