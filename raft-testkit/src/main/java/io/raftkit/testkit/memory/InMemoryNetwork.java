package io.raftkit.testkit.memory;

import io.raftkit.core.Transport;
import io.raftkit.core.message.Message;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Connects {@link InMemoryTransport}s in one process. Delivery is synchronous: {@code send} calls the
 * addressee's receiver on the sender's thread. Links can be cut in one or both directions to model
 * partitions. A closed transport is reported unreachable to the others.
 *
 * <p>Thread-safe: nodes running on their own threads may send concurrently.
 */
public final class InMemoryNetwork {

    /** An empty network: nodes join it by asking for their transport. */
    public InMemoryNetwork() {}

    private final Map<String, Transport.Receiver> receivers = new ConcurrentHashMap<>();
    private final Set<String> cutLinks = ConcurrentHashMap.newKeySet(); // "from->to"
    private final java.util.List<java.util.function.Predicate<Message>> dropRules =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicLong dropped = new AtomicLong();

    /** A transport for node {@code id} on this network. */
    public InMemoryTransport transport(String id) {
        return new InMemoryTransport(this, id);
    }

    /** Stops delivery from {@code from} to {@code to} (one direction). */
    public void cut(String from, String to) {
        cutLinks.add(from + "->" + to);
    }

    /** Cuts both directions between every node in {@code side} and every node outside it. */
    public void isolate(String id, Set<String> others) {
        for (String o : others) {
            if (!o.equals(id)) {
                cut(id, o);
                cut(o, id);
            }
        }
    }

    /**
     * Drops every message for which {@code rule} answers true (until {@link #heal()}): to lose one kind of
     * message, or the first few of a kind (a rule may count). The rule runs on the sender's thread.
     */
    public void dropWhere(java.util.function.Predicate<Message> rule) {
        dropRules.add(java.util.Objects.requireNonNull(rule, "rule"));
    }

    /** Restores every link and removes every drop rule. */
    public void heal() {
        cutLinks.clear();
        dropRules.clear();
    }

    /** Messages dropped so far: cut link, unknown or stopped addressee. */
    public long dropped() {
        return dropped.get();
    }

    /** Node ids with a started transport. */
    public Set<String> started() {
        return new HashSet<>(receivers.keySet());
    }

    void register(String id, Transport.Receiver receiver) {
        if (receivers.putIfAbsent(id, receiver) != null) {
            throw new IllegalStateException("a transport for node " + id + " is already started on this network");
        }
    }

    /**
     * A transport closed: every other node's receiver hears that {@code id} is unreachable, as a TCP
     * transport would when the closed side's connections go (cut links report nothing, as a silent
     * network would not).
     */
    void unregister(String id, Transport.Receiver receiver) {
        if (receivers.remove(id, receiver)) {
            receivers.forEach((other, r) -> r.unreachable(id));
        }
    }

    private boolean dropped(Message m) {
        for (java.util.function.Predicate<Message> rule : dropRules) {
            if (rule.test(m)) {
                return true;
            }
        }
        return false;
    }

    void deliver(Message m) {
        Transport.Receiver r = receivers.get(m.to());
        if (r == null || !receivers.containsKey(m.from()) || cutLinks.contains(m.from() + "->" + m.to())
                || dropped(m)) {
            dropped.incrementAndGet();
            return;
        }
        r.receive(m);
    }
}
