package io.raftkit.testkit.memory;

import io.raftkit.core.Transport;
import io.raftkit.core.message.Message;
import java.util.Objects;

/** A {@link Transport} on an {@link InMemoryNetwork}, for tests. */
public final class InMemoryTransport implements Transport {

    private final InMemoryNetwork network;
    private final String id;
    private volatile Receiver receiver;
    private volatile boolean closed;

    InMemoryTransport(InMemoryNetwork network, String id) {
        this.network = network;
        this.id = id;
    }

    @Override
    public String nodeId() {
        return id;
    }

    @Override
    public synchronized void start(Receiver receiver) {
        Objects.requireNonNull(receiver, "receiver");
        if (closed) {
            throw new IllegalStateException("transport of " + id + " is closed");
        }
        if (this.receiver != null) {
            throw new IllegalStateException("transport of " + id + " is already started");
        }
        network.register(id, receiver);
        this.receiver = receiver;
    }

    @Override
    public void send(Message message) {
        if (receiver == null || closed || !message.from().equals(id)) {
            return;
        }
        network.deliver(message);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (receiver != null) {
            network.unregister(id, receiver);
        }
    }
}
