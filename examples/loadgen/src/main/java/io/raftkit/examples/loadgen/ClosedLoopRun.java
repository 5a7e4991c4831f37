package io.raftkit.examples.loadgen;

import io.raftkit.node.ClientSession;
import io.raftkit.node.RaftNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Keeps exactly {@code concurrency} writes in flight against one node: each client submits its next
 * write the moment the previous one completes (closed loop), so the figures show what the group
 * sustains, not what a queue absorbs.
 *
 * <p>With sessions, each of the {@code concurrency} clients opens its own {@link ClientSession} on the
 * node before the warm-up and writes only through it, one write at a time, as an independent client
 * that wants its writes applied exactly once would. Opening them is not measured.
 */
final class ClosedLoopRun {

    /** The figures of one measured window. */
    record Result(long operations, long errors, double seconds, Histogram latencyNanos) {}

    private final RaftNode target;
    private final int concurrency;
    private final boolean sessions;
    private final byte[] payload;
    private final Recorder recorder = new Recorder(TimeUnit.SECONDS.toNanos(60), 3);
    private final AtomicBoolean measuring = new AtomicBoolean();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicLong operations = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final CountDownLatch clientsDone;

    ClosedLoopRun(RaftNode target, int concurrency, int payloadBytes, boolean sessions) {
        this.target = target;
        this.concurrency = concurrency;
        this.sessions = sessions;
        this.payload = new byte[payloadBytes];
        new java.util.Random(42).nextBytes(payload);
        this.clientsDone = new CountDownLatch(concurrency);
    }

    /** How one client writes: the node's plain submit, or its own session's. */
    private interface Writer {
        CompletableFuture<byte[]> write(byte[] command);
    }

    /**
     * Runs the warm-up, then the measured window; {@code probes} are told, in order, before the warm-up's
     * first write, open, in order, just before the window's first counted write and close, in reverse
     * order, just after its last.
     */
    Result run(Duration warmup, Duration window, List<WindowProbe> probes) throws Exception {
        for (WindowProbe p : probes) {
            p.warmupStarting();
        }
        List<ClientSession> opened = sessions ? openSessions() : List.of();
        for (int i = 0; i < concurrency; i++) {
            Writer writer = sessions ? opened.get(i)::submit : target::submit;
            next(writer);
        }
        TimeUnit.NANOSECONDS.sleep(warmup.toNanos()); // the load runs meanwhile; nothing to await
        recorder.getIntervalHistogram(); // discard the warm-up
        operations.set(0);
        errors.set(0);
        for (WindowProbe p : probes) {
            p.opened();
        }
        measuring.set(true);
        long start = System.nanoTime();
        TimeUnit.NANOSECONDS.sleep(window.toNanos());
        measuring.set(false);
        long end = System.nanoTime();
        for (int i = probes.size() - 1; i >= 0; i--) {
            probes.get(i).closed();
        }
        Histogram h = recorder.getIntervalHistogram();
        long ops = operations.get();
        long errs = errors.get();
        stopping.set(true);
        if (!clientsDone.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("writes still in flight 60 s after the window closed");
        }
        closeSessions(opened);
        return new Result(ops, errs, (end - start) / 1e9, h);
    }

    /** One session per client, all opened before any write, so the warm-up starts with the same load. */
    private List<ClientSession> openSessions() throws Exception {
        List<CompletableFuture<ClientSession>> opening = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            opening.add(target.openSession());
        }
        List<ClientSession> opened = new ArrayList<>();
        for (CompletableFuture<ClientSession> f : opening) {
            opened.add(f.get(30, TimeUnit.SECONDS));
        }
        return opened;
    }

    /** Ends the sessions as a well-behaved client would; not measured. */
    private static void closeSessions(List<ClientSession> opened) throws Exception {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (ClientSession s : opened) {
            closing.add(s.close());
        }
        CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    }

    private void next(Writer writer) {
        if (stopping.get()) {
            clientsDone.countDown();
            return;
        }
        long t0 = System.nanoTime();
        writer.write(payload).whenComplete((result, error) -> {
            if (measuring.get()) {
                if (error == null) {
                    recorder.recordValue(System.nanoTime() - t0);
                    operations.incrementAndGet();
                } else {
                    errors.incrementAndGet();
                }
            }
            next(writer);
        });
    }
}
