package io.raftkit.transport.netty.bench;

import io.raftkit.core.Entry;
import io.raftkit.core.message.AppendRequest;
import io.raftkit.core.message.Message;
import io.raftkit.transport.netty.NettyTransport;
import io.raftkit.transport.netty.TransportStats;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Append traffic between two transports on loopback: one sender thread streams AppendRequests of
 * {@code bench.entries} entries of {@code bench.payload} bytes from n1 to n2, keeping at most
 * {@code bench.window} messages in flight, and reports messages/s and payload MB/s.
 *
 * <p>Run it (not part of {@code mvn verify}):
 * {@code mvn -B -ntp -q -pl raft-transport-netty -am -Pbench -DskipTests process-test-classes}
 */
public final class AppendThroughputBenchmark {

    private static final int ENTRIES = Integer.getInteger("bench.entries", 64);
    private static final int PAYLOAD = Integer.getInteger("bench.payload", 100);
    private static final int WINDOW = Integer.getInteger("bench.window", 2_000);
    private static final int WARMUP_SECONDS = Integer.getInteger("bench.warmup", 3);
    private static final int SECONDS = Integer.getInteger("bench.seconds", 10);

    private AppendThroughputBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> members = Map.of("n1", "127.0.0.1:" + freePort(), "n2", "127.0.0.1:" + freePort());
        AtomicLong received = new AtomicLong();
        try (NettyTransport n1 = transport("n1", members); NettyTransport n2 = transport("n2", members)) {
            n1.start(m -> {});
            n2.start(m -> countEntries(m, received));
            List<Entry> entries = new ArrayList<>(ENTRIES);
            for (int i = 1; i <= ENTRIES; i++) {
                entries.add(Entry.command(1, i, new byte[PAYLOAD]));
            }
            AtomicLong sent = new AtomicLong();
            Thread sender = new Thread(() -> {
                long prev = 0;
                while (!Thread.currentThread().isInterrupted()) {
                    if (sent.get() - received.get() / ENTRIES >= WINDOW) {
                        LockSupport.parkNanos(20_000);
                        continue;
                    }
                    n1.send(new AppendRequest("n1", "n2", 1, prev, 1, entries, prev));
                    prev += ENTRIES;
                    sent.incrementAndGet();
                }
            }, "bench-sender");
            sender.setDaemon(true);
            sender.start();

            TimeUnit.SECONDS.sleep(WARMUP_SECONDS);
            long entriesBefore = received.get();
            long startNanos = System.nanoTime();
            TimeUnit.SECONDS.sleep(SECONDS);
            long entriesAfter = received.get();
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            sender.interrupt();
            sender.join();

            double messagesPerSecond = (entriesAfter - entriesBefore) / (double) ENTRIES / seconds;
            double payloadMbPerSecond = (entriesAfter - entriesBefore) * (double) PAYLOAD / seconds / 1e6;
            TransportStats.Peer link = n1.stats().peers().get("n2");
            System.out.printf(Locale.ROOT,
                    "AppendRequest of %d x %d B over loopback for %d s (window %d, %s cores)%n"
                            + "  %.0f messages/s, %.0f entries/s, %.1f MB/s of payload%n"
                            + "  sender: %d written, %d dropped, %.1f messages per flush%n",
                    ENTRIES, PAYLOAD, SECONDS, WINDOW, Runtime.getRuntime().availableProcessors(),
                    messagesPerSecond, messagesPerSecond * ENTRIES, payloadMbPerSecond,
                    link.sent(), link.dropped(), link.sent() / (double) Math.max(1, link.flushes()));
        }
    }

    private static void countEntries(Message m, AtomicLong received) {
        if (m instanceof AppendRequest a) {
            received.addAndGet(a.entries().size());
        }
    }

    private static NettyTransport transport(String id, Map<String, String> members) {
        return NettyTransport.builder().nodeId(id).clusterId("bench").members(members).build();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
