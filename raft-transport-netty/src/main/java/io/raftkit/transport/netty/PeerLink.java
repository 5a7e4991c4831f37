package io.raftkit.transport.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.ScheduledFuture;
import io.raftkit.core.message.Message;
import io.raftkit.core.message.MessageSize;
import io.raftkit.transport.netty.wire.Frame;
import java.net.InetSocketAddress;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbound side towards one peer: a bounded queue and the one connection that drains it.
 *
 * <p>{@link #enqueue} is called from any thread and never blocks: past the bound (in messages or bytes)
 * a message is dropped and counted, so a dead peer costs at most the bound. Everything else runs on the
 * link's own event loop, which is also the connection's, so connection state needs no locks. The queue
 * is drained in batches: many writes, then one flush, so a busy link makes one syscall per batch rather
 * than per message. The connection is dialled on the first message and redialled after any loss, with
 * exponential backoff and jitter; queued messages wait for it (up to the bound). A lost connection or a
 * failed dial is reported (the receiver's {@code unreachable}); closing the link reports nothing.
 */
final class PeerLink {

    private static final Logger LOG = LoggerFactory.getLogger(PeerLink.class);
    /** Cap on writes per event-loop turn, so one busy peer cannot starve others sharing the loop. */
    private static final int MAX_WRITES_PER_TURN = 1024;
    /** Rough per-message cost beyond payloads, for the byte bound. */
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(512 * 1024, 2 * 1024 * 1024);

    private enum State { IDLE, CONNECTING, CONNECTED, BACKOFF, CLOSED }

    private final String peerId;
    private final InetSocketAddress address;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final Frame handshake;
    private final int maxMessages;
    private final long maxBytes;
    private final ReconnectBackoff backoff;
    /** Told the peer's id when the connection is lost or cannot be opened. */
    private final Consumer<String> unreachable;

    private final Queue<Message> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queuedMessages = new AtomicInteger();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final LongAdder sent = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder flushes = new LongAdder();
    private final AtomicLong connectAttempts = new AtomicLong();
    private volatile boolean closed;

    // Confined to the event loop.
    private State state = State.IDLE;
    private volatile Channel channel; // volatile only so that stats() may read it
    private int failures;
    private long connectedAtNanos;
    private ScheduledFuture<?> redial;

    PeerLink(String peerId, InetSocketAddress address, EventLoops loops, TransportSettings settings,
             TransportCounters counters, Consumer<String> unreachable) {
        this.peerId = peerId;
        this.unreachable = unreachable;
        this.address = address;
        this.loop = loops.group().next();
        this.handshake = WireProtocol.handshake(settings.clusterId(), settings.nodeId(),
                WireProtocol.format(settings.bindAddress()));
        this.maxMessages = settings.maxQueuedMessages();
        this.maxBytes = settings.maxQueuedBytes();
        this.backoff = new ReconnectBackoff(settings.minReconnectDelay(), settings.maxReconnectDelay());
        this.bootstrap = new Bootstrap()
                .group(loop)
                .channel(loops.channelType())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        settings.connectTimeout().toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .handler(RaftChannelInitializer.dialling(settings, counters, address, this::drain));
    }

    /** Queues {@code m} unless the queue is full or the link closed; returns whether it was queued. */
    boolean enqueue(Message m) {
        if (closed) {
            dropped.increment();
            return false;
        }
        long weight = weight(m);
        if (queuedMessages.incrementAndGet() > maxMessages) {
            queuedMessages.decrementAndGet();
            dropped.increment();
            return false;
        }
        if (queuedBytes.addAndGet(weight) > maxBytes) {
            queuedBytes.addAndGet(-weight);
            queuedMessages.decrementAndGet();
            dropped.increment();
            return false;
        }
        queue.offer(m);
        scheduleDrain();
        return true;
    }

    /** Closes the connection and discards the queue; later messages are dropped. */
    void close() {
        closed = true;
        try {
            loop.execute(this::shutDown);
        } catch (RejectedExecutionException e) {
            discardQueue();
        }
    }

    InetSocketAddress address() {
        return address;
    }

    TransportStats.Peer stats() {
        Channel ch = channel;
        return new TransportStats.Peer(queuedMessages.get(), queuedBytes.get(), sent.sum(), dropped.sum(),
                flushes.sum(), connectAttempts.get(), ch != null && ch.isActive());
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                loop.execute(this::drain);
            } catch (RejectedExecutionException e) {
                // The event loop is shutting down: the transport is closing and drops everything.
                drainScheduled.set(false);
            }
        }
    }

    private void drain() {
        drainScheduled.set(false);
        if (closed) {
            shutDown();
            return;
        }
        if (state == State.IDLE) {
            dial();
        } else if (state == State.CONNECTED) {
            writeQueued();
        }
        // CONNECTING or BACKOFF: the queue waits for the connection.
    }

    private void writeQueued() {
        Channel ch = channel;
        int written = 0;
        while (written < MAX_WRITES_PER_TURN && ch.isWritable()) {
            Message m = queue.poll();
            if (m == null) {
                break;
            }
            queuedMessages.decrementAndGet();
            queuedBytes.addAndGet(-weight(m));
            ch.write(m, ch.voidPromise());
            written++;
        }
        if (written > 0) {
            ch.flush();
            flushes.increment();
            sent.add(written);
        }
        if (ch.isWritable() && !queue.isEmpty()) {
            scheduleDrain();
        }
    }

    private void dial() {
        state = State.CONNECTING;
        connectAttempts.incrementAndGet();
        bootstrap.connect(address).addListener((ChannelFuture f) -> onDialled(f));
    }

    private void onDialled(ChannelFuture f) {
        if (closed) {
            f.channel().close();
            return;
        }
        if (!f.isSuccess()) {
            if (failures == 0) {
                LOG.info("cannot connect to {} at {}: {}; retrying with backoff", peerId, address,
                        f.cause().toString());
            } else {
                LOG.debug("cannot connect to {} at {}: {}", peerId, address, f.cause().toString());
            }
            unreachable.accept(peerId);
            redialLater();
            return;
        }
        Channel ch = f.channel();
        channel = ch;
        state = State.CONNECTED;
        connectedAtNanos = System.nanoTime();
        LOG.debug("connected to {} at {}", peerId, address);
        ch.closeFuture().addListener(cf -> onClosed(ch));
        if (channel != ch) {
            return; // it closed already (the listener ran at once): keep the queue for the redial
        }
        ch.write(handshake, ch.voidPromise());
        writeQueued();
        ch.flush();
    }

    private void onClosed(Channel ch) {
        if (channel != ch) {
            return;
        }
        channel = null;
        if (closed) {
            return;
        }
        // A connection that lived longer than the longest backoff counts as a fresh start; one that was
        // closed at once (for example refused at the handshake) keeps backing off.
        if (System.nanoTime() - connectedAtNanos > backoff.maxNanos()) {
            failures = 0;
        }
        LOG.info("connection to {} at {} closed; reconnecting", peerId, address);
        unreachable.accept(peerId);
        redialLater();
    }

    private void redialLater() {
        state = State.BACKOFF;
        long delay = backoff.delayNanos(failures, ThreadLocalRandom.current());
        failures++;
        redial = loop.schedule(() -> {
            if (state == State.BACKOFF && !closed) {
                dial();
            }
        }, delay, TimeUnit.NANOSECONDS);
    }

    private void shutDown() {
        state = State.CLOSED;
        if (redial != null) {
            redial.cancel(false);
        }
        if (channel != null) {
            channel.close();
        }
        discardQueue();
    }

    private void discardQueue() {
        Message m;
        while ((m = queue.poll()) != null) {
            queuedMessages.decrementAndGet();
            queuedBytes.addAndGet(-weight(m));
            dropped.increment();
        }
    }

    /** Estimated bytes a queued message holds: see {@link MessageSize}. */
    static long weight(Message m) {
        return MessageSize.of(m);
    }
}
