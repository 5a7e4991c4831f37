package io.raftkit.node;

import io.raftkit.core.GroupChange;
import java.util.concurrent.CompletableFuture;

/** A write, read or group change on its way through the event loop, until the core accepts or releases it. */
final class PendingRequest {

    final long id;
    final boolean write;
    final byte[] payload;
    final boolean lease;
    final CompletableFuture<byte[]> future;
    final long deadlineNanos;
    /** For a change to the group, what change; else null. */
    final GroupChange change;
    /** For a leadership transfer: the leader when it was asked for (its end is a new leader). */
    String leaderBefore;
    /** For a leadership transfer: this node led and began it (so it knows when the transfer is given up). */
    boolean transferStarted;
    /** A write carrying a client-session record ({@link io.raftkit.core.EntryType#SESSION}), not a command. */
    boolean sessionRecord;
    /** Handed to a known leader at least once: a write may then have been appended. */
    boolean reachedLeader;
    /** Accepted (write) or released (read): the applier completes it from now on. */
    boolean handedOff;
    /** When the client called (the node's clock), for {@link StageTracer}; 0 when not known. */
    long submittedNanos;

    PendingRequest(long id, boolean write, byte[] payload, boolean lease, CompletableFuture<byte[]> future,
                   long deadlineNanos, GroupChange change) {
        this.id = id;
        this.change = change;
        this.write = write;
        this.payload = payload;
        this.lease = lease;
        this.future = future;
        this.deadlineNanos = deadlineNanos;
    }
}
