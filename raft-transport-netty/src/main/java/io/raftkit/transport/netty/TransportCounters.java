package io.raftkit.transport.netty;

import java.util.concurrent.atomic.LongAdder;

/** The transport-wide counters behind {@link TransportStats}; updated from any thread. */
final class TransportCounters {
    /** Messages handed to the receiver. */
    final LongAdder received = new LongAdder();
    /** Inbound messages dropped for a wrong {@code from} or {@code to}. */
    final LongAdder inboundDropped = new LongAdder();
    /** Outbound messages dropped before reaching a peer's queue (not started, closed, unknown peer). */
    final LongAdder sendDropped = new LongAdder();
    /** Outbound frames dropped because they exceed the maximum frame size. */
    final LongAdder oversizedDropped = new LongAdder();
    /** Outbound messages dropped because they could not be encoded (a sender bug). */
    final LongAdder unencodableDropped = new LongAdder();
    /** Connections refused at the handshake. */
    final LongAdder refusedConnections = new LongAdder();
    /** Connections closed for bad input: bad frames, truncated frames, failed TLS (either side). */
    final LongAdder protocolErrors = new LongAdder();
}
