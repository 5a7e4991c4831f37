package io.raftkit.node;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The node's front door for requests: lets one in against its limits (its size, the number and the
 * payload bytes of the requests already waiting) and counts it as pending until its future completes,
 * which gives its bytes back. A refused request costs nothing: nothing was taken, nothing is pending.
 * Safe from any thread.
 */
final class RequestAdmission {

    private final String nodeId;
    private final NodeOptions options;
    private final Clock clock;
    private final AtomicInteger pending = new AtomicInteger();
    /** Payload bytes of the requests pending here (NodeOptions.maxPendingBytes). */
    private final ByteBudget pendingBytes;

    RequestAdmission(String nodeId, NodeOptions options, Clock clock) {
        this.nodeId = nodeId;
        this.options = options;
        this.clock = clock;
        this.pendingBytes = new ByteBudget("NodeOptions.maxPendingBytes", options.maxPendingBytes());
    }

    /**
     * Why a request of {@code bytes} (a {@code what}: "command", "query") cannot come in now, or null when
     * it may: then its bytes are taken, and the caller must either {@link #track} it or {@link #release}
     * them.
     */
    RequestRejectedException refusal(int bytes, String what) {
        if (bytes > options.maxCommandBytes()) {
            return new RequestRejectedException(RequestRejectedException.Reason.TOO_LARGE, "the " + what + " is "
                    + bytes + " bytes, over the limit of " + options.maxCommandBytes() + " (NodeOptions.maxCommandBytes)");
        } else if (pending.get() >= options.maxPendingRequests()) {
            return new RequestRejectedException(RequestRejectedException.Reason.OVERLOADED, "node " + nodeId + " has "
                    + options.maxPendingRequests() + " requests pending (NodeOptions.maxPendingRequests); retry later");
        } else if (!pendingBytes.tryTake(bytes)) {
            return new RequestRejectedException(RequestRejectedException.Reason.OVERLOADED, "node " + nodeId
                    + " holds " + pendingBytes.used() + " bytes of pending requests, with " + bytes
                    + " more over the limit of " + pendingBytes.limit() + " (" + pendingBytes.name() + "); retry later");
        }
        return null;
    }

    /** Gives back the bytes of a request let in and then not served after all. */
    void release(int bytes) {
        pendingBytes.release(bytes);
    }

    /** A future counted as pending until it completes; for requests that carry no payload bytes. */
    <T> CompletableFuture<T> track() {
        pending.incrementAndGet();
        CompletableFuture<T> f = new CompletableFuture<>();
        f.whenComplete((v, e) -> pending.decrementAndGet());
        return f;
    }

    /**
     * As {@link #track()} for a request of {@code bytes} let in by {@link #refusal}, made at {@code start}
     * (the clock's nanoseconds), measured into {@code done}, {@code failed} and {@code latency} by the same
     * callback that gives its bytes back: one callback per request, not four.
     */
    CompletableFuture<byte[]> track(int bytes, LongAdder done, LongAdder failed, LatencyHistogram latency, long start) {
        pending.incrementAndGet();
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        f.whenComplete((v, e) -> {
            pending.decrementAndGet();
            pendingBytes.release(bytes);
            if (e == null) {
                done.increment();
                latency.record(clock.nanoTime() - start);
            } else {
                failed.increment();
            }
        });
        return f;
    }

    /** Requests waiting for an answer now. */
    int pending() {
        return pending.get();
    }

    /** Payload bytes of the requests waiting for an answer now. */
    long pendingBytes() {
        return pendingBytes.used();
    }

    long pendingBytesLimit() {
        return pendingBytes.limit();
    }
}
