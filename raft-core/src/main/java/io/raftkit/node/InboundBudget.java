package io.raftkit.node;

import io.raftkit.core.message.Message;
import io.raftkit.core.message.MessageSize;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Bytes of messages each peer has waiting in the event loop's inbox. A message that would take its
 * sender past {@code NodeOptions.maxInboundBytesPerPeer} is dropped, as a lossy network would drop it,
 * which Raft tolerates (the sender retries): so a peer that floods the node (a bug, or a hostile one)
 * costs it bounded memory and cannot crowd the other peers' messages out of the inbox. A message larger
 * than the budget fits only when its sender has nothing waiting.
 */
final class InboundBudget {

    private final long perPeer;
    private final ConcurrentHashMap<String, AtomicLong> waiting = new ConcurrentHashMap<>();
    final LongAdder dropped = new LongAdder();

    InboundBudget(long perPeer) {
        this.perPeer = perPeer;
    }

    /** Whether {@code m} may wait in the inbox; if so its bytes are counted until {@link #taken}. */
    boolean admit(Message m) {
        long bytes = bytesOf(m);
        AtomicLong used = waiting.computeIfAbsent(m.from(), id -> new AtomicLong());
        while (true) {
            long now = used.get();
            if (now > 0 && now + bytes > perPeer) {
                dropped.increment();
                return false;
            }
            if (used.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    /** The loop took {@code m} out of the inbox. */
    void taken(Message m) {
        AtomicLong used = waiting.get(m.from());
        if (used != null) {
            used.addAndGet(-bytesOf(m));
        }
    }

    /** Bytes waiting from {@code peer}. */
    long waiting(String peer) {
        AtomicLong used = waiting.get(peer);
        return used == null ? 0 : used.get();
    }

    /** The most bytes any one peer has waiting now (what {@code NodeOptions.maxInboundBytesPerPeer} bounds). */
    long mostWaiting() {
        long most = 0;
        for (AtomicLong used : waiting.values()) {
            most = Math.max(most, used.get());
        }
        return most;
    }

    /** What {@code m} counts: {@link MessageSize}. */
    static long bytesOf(Message m) {
        return MessageSize.of(m);
    }
}
