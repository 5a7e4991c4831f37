package io.raftkit.node;

import io.raftkit.core.Entry;
import io.raftkit.core.Transport;
import io.raftkit.core.message.Message;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * Holds back what must wait for durability: messages that promise durable state (votes, append
 * acknowledgements) leave, and the core hears that its entries are durable, only once every storage
 * write submitted before them has completed. Storage completes writes in order, so numbering them is
 * enough: a message waits for the number of the last write submitted before it.
 */
final class PersistenceBarrier {

    private record Waiting(long seq, List<Message> messages, Entry last) {}

    private final Transport transport;
    private final Consumer<Throwable> failed;
    private final Runnable wake;
    /** Entries made durable, for the loop to report to the core (it owns the core; this does not). */
    private final ConcurrentLinkedQueue<Entry> persisted = new ConcurrentLinkedQueue<>();
    private long submittedSeq; // loop thread only
    /** (seq, submit time) of writes not yet known durable, oldest first; loop thread only. */
    private final ArrayDeque<long[]> submitted = new ArrayDeque<>();
    private final Object lock = new Object();
    private long durableSeq;
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    /**
     * Whether the loop is woken when entries become durable. Only a leader needs to hear at once: its
     * own write counts towards commitment. A follower's acknowledgement leaves from here without the loop,
     * and its core only drops the entries from memory, so it hears at its next wake-up, saving a wake-up
     * of its loop for every append.
     */
    private volatile boolean wakeOnDurable = true;

    PersistenceBarrier(Transport transport, Consumer<Throwable> failed, Runnable wake) {
        this.transport = transport;
        this.failed = failed;
        this.wake = wake;
    }

    /** Numbers a storage write just submitted at {@code nowNanos} (the node's clock). Loop thread. */
    void track(CompletableFuture<Void> write, long nowNanos) {
        long seq = ++submittedSeq;
        submitted.add(new long[] {seq, nowNanos});
        write.whenComplete((v, error) -> durable(seq, error));
    }

    /**
     * How long the oldest write not yet durable has been outstanding at {@code nowNanos}; 0 when every
     * write is durable. Loop thread.
     */
    long oldestPendingNanos(long nowNanos) {
        long durable;
        synchronized (lock) {
            durable = durableSeq;
        }
        while (!submitted.isEmpty() && submitted.peek()[0] <= durable) {
            submitted.poll();
        }
        return submitted.isEmpty() ? 0 : nowNanos - submitted.peek()[1];
    }

    /**
     * Sends {@code messages} and reports {@code last} durable once every write tracked so far is
     * durable: at once if it already is. Returns the entry to report now (on the loop), or null.
     */
    Entry afterWrites(List<Message> messages, Entry last) {
        synchronized (lock) {
            if (durableSeq < submittedSeq) {
                waiting.add(new Waiting(submittedSeq, messages, last));
                return null;
            }
        }
        for (Message m : messages) {
            transport.send(m);
        }
        return last;
    }

    /** See {@link #wakeOnDurable}. Loop thread; set before the loop looks at {@link #hasPersisted} to park. */
    void wakeOnDurable(boolean wake) {
        wakeOnDurable = wake;
    }

    /** The next entry storage made durable since the loop last asked, or null. */
    Entry pollPersisted() {
        return persisted.poll();
    }

    boolean hasPersisted() {
        return !persisted.isEmpty();
    }

    /** Called on the storage's thread (or at once) when write {@code seq} is durable or failed. */
    private void durable(long seq, Throwable error) {
        if (error != null) {
            failed.accept(error);
            return;
        }
        List<Waiting> ready = new ArrayList<>();
        synchronized (lock) {
            durableSeq = Math.max(durableSeq, seq);
            while (!waiting.isEmpty() && waiting.peek().seq() <= durableSeq) {
                ready.add(waiting.poll());
            }
        }
        boolean entries = false;
        for (Waiting w : ready) {
            for (Message m : w.messages()) {
                transport.send(m);
            }
            if (w.last() != null) {
                persisted.add(w.last());
                entries = true;
            }
        }
        // Read after the entries are queued: a loop that turns leader sets the flag before it checks for
        // durable entries and parks, so either it sees them or this sees the flag.
        if (entries && wakeOnDurable) {
            wake.run();
        }
    }
}
