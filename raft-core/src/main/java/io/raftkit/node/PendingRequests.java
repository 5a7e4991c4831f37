package io.raftkit.node;

import io.raftkit.core.GroupChange;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Every write and read of a node from the moment the driver takes it until its future completes: the
 * one registry of requests. A request is looked up by id while the core holds it, retried when the core
 * refused it for want of a leader, and failed when its deadline passes, also after it was handed to
 * the {@link Applier} (which completes it unless the deadline came first).
 */
final class PendingRequests {

    private long nextId = 1;
    /** Requests the core holds or refused: not yet handed off. */
    private final LongMap<PendingRequest> inCore = new LongMap<>();
    /** Every request whose future may still be open, in deadline order (deadlines are taken in order). */
    private final ArrayDeque<PendingRequest> byDeadline = new ArrayDeque<>();
    private final List<PendingRequest> retries = new ArrayList<>();

    PendingRequest add(boolean write, byte[] payload, boolean lease, CompletableFuture<byte[]> future,
                       long deadlineNanos, GroupChange change) {
        PendingRequest r = new PendingRequest(nextId++, write, payload, lease, future, deadlineNanos, change);
        inCore.put(r.id, r);
        byDeadline.add(r);
        return r;
    }

    /** The request the core knows as {@code id} while it holds it, or null. */
    PendingRequest inCore(long id) {
        return inCore.get(id);
    }

    /** The core is done with {@code id}: from now on the applier completes it. Returns it, or null if unknown. */
    PendingRequest handOff(long id) {
        PendingRequest r = inCore.remove(id);
        if (r != null) {
            r.handedOff = true;
        }
        return r;
    }

    /** The core is done with {@code r} and it failed: it leaves the registry. */
    void remove(PendingRequest r) {
        inCore.remove(r.id);
    }

    /** The core refused {@code r} for want of a (current) leader: issue it again later. */
    void retryLater(PendingRequest r) {
        retries.add(r);
    }

    /** The requests to issue again now: refused before, still pending. */
    List<PendingRequest> takeRetries() {
        if (retries.isEmpty()) {
            return List.of();
        }
        List<PendingRequest> again = new ArrayList<>(retries.size());
        for (PendingRequest r : retries) {
            if (!r.future.isDone() && inCore.containsKey(r.id)) {
                again.add(r);
            }
        }
        retries.clear();
        return again;
    }

    /** Removes and returns the open requests whose deadline is at or before {@code now}. */
    List<PendingRequest> expire(long now) {
        List<PendingRequest> expired = List.of();
        while (!byDeadline.isEmpty()) {
            PendingRequest r = byDeadline.peek();
            if (r.future.isDone()) {
                byDeadline.poll();
            } else if (now - r.deadlineNanos >= 0) {
                byDeadline.poll();
                inCore.remove(r.id);
                if (expired.isEmpty()) {
                    expired = new ArrayList<>();
                }
                expired.add(r);
            } else {
                break;
            }
        }
        return expired;
    }

    /** Removes and returns every request the core still holds (the node is stopping). */
    Collection<PendingRequest> drain() {
        List<PendingRequest> all = new ArrayList<>(inCore.values());
        inCore.clear();
        byDeadline.clear();
        retries.clear();
        return all;
    }
}
