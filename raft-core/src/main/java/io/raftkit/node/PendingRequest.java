package io.raftkit.node;

import java.util.concurrent.CompletableFuture;

/** A write or read on its way through the event loop, until the core accepts or releases it. */
final class PendingRequest {

    final long id;
    final boolean write;
    final byte[] payload;
    final boolean lease;
    final CompletableFuture<byte[]> future;
    final long deadlineNanos;
    /** Handed to a known leader at least once: a write may then have been appended. */
    boolean reachedLeader;
    /** Accepted (write) or released (read): the applier completes it from now on. */
    boolean handedOff;

    PendingRequest(long id, boolean write, byte[] payload, boolean lease, CompletableFuture<byte[]> future,
                   long deadlineNanos) {
        this.id = id;
        this.write = write;
        this.payload = payload;
        this.lease = lease;
        this.future = future;
        this.deadlineNanos = deadlineNanos;
    }
}
