package io.raftkit.storage.bench;

import io.raftkit.core.Entry;
import io.raftkit.storage.FirstSegmentFill;
import io.raftkit.storage.SegmentedLog;
import io.raftkit.storage.SegmentedLogOptions;
import io.raftkit.storage.SyncPolicy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * Measures, on one disk in one run: (a) a raw {@code FileChannel.write} + {@code force} loop writing
 * 1, 16 or 256 records per fsync; (b) {@link SegmentedLog} durable appends from 1, 16 and 256 threads,
 * each waiting for its append to be durable before the next; (c) the time to open (recover) a large
 * log. Prints one JSON line per cell. Reports figures only; asserts nothing.
 *
 * <p>System properties: {@code bench.dir} (default target/wal-bench), {@code bench.seconds} per cell
 * (default 3), {@code bench.recoveryMiB} (default 1024), {@code bench.only} (a comma-separated subset of raw,
 * pipelined, threads, fsync-sharing, recovery), {@code bench.sync} (DURABLE, the default, or NONE to see CPU cost),
 * {@code bench.payloads} (default 100,1024,16384), {@code bench.concurrency} (default 1,16,256),
 * {@code bench.preallocationBytes} (default: the log's default), {@code bench.rounds} (default 10: the raw
 * and pipelined cells alternate in this many slices of {@code bench.seconds / bench.rounds} each),
 * {@code bench.firstSegment} (default false: the log cells first fill the log's first segment, see
 * {@link FirstSegmentFill}; true measures a new log's first segment instead).
 */
public final class WalBenchmark {

    private static final int[] CONCURRENCY = java.util.Arrays.stream(
            System.getProperty("bench.concurrency", "1,16,256").split(",")).mapToInt(Integer::parseInt).toArray();
    static final int RECORD_HEADER_BYTES = 28;
    private static final long WARM_UP_NANOS = 500_000_000L;
    private static final SyncPolicy SYNC = SyncPolicy.valueOf(System.getProperty("bench.sync", "DURABLE"));

    private WalBenchmark() {}

    /** The log's options for the log cells: defaults, with {@code bench.sync} and {@code bench.preallocationBytes}. */
    private static SegmentedLogOptions logOptions() {
        SegmentedLogOptions o = SegmentedLogOptions.defaults().withSyncPolicy(SYNC);
        String prealloc = System.getProperty("bench.preallocationBytes");
        return prealloc == null ? o : o.withPreallocationBytes(Long.parseLong(prealloc));
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("bench.dir", "target/wal-bench"));
        double seconds = Double.parseDouble(System.getProperty("bench.seconds", "3"));
        long recoveryMiB = Long.getLong("bench.recoveryMiB", 1024);
        java.util.Set<String> only = java.util.Set.of(System.getProperty("bench.only", "raw,pipelined,threads,fsync-sharing,recovery").split(","));
        int[] payloads = java.util.Arrays.stream(System.getProperty("bench.payloads", "100,1024,16384").split(","))
                .mapToInt(Integer::parseInt).toArray();
        for (int payload : payloads) {
            for (int n : CONCURRENCY) {
                if (only.contains("raw") || only.contains("pipelined")) {
                    alternate(root, payload, n, seconds, only.contains("raw"), only.contains("pipelined"));
                }
                if (only.contains("threads")) {
                    threads(root.resolve("log"), payload, n, seconds);
                }
            }
        }
        if (only.contains("fsync-sharing")) {
            for (int files : new int[] {1, 3}) {
                fsyncSharing(root.resolve("sharing"), files, seconds);
            }
        }
        if (only.contains("recovery")) {
            recovery(root.resolve("recovery"), recoveryMiB);
        }
        delete(root);
    }

    /**
     * The raw loop and the pipelined log for one payload and N, alternated in {@code bench.rounds} slices
     * after an unrecorded warm-up slice of each: this disk's fsync cost drifts by 2x over minutes, so two
     * back-to-back blocks of seconds could see different disks; alternating short slices lets both see the
     * same drift, and the per-round ratios show how far the comparison itself varies.
     */
    private static void alternate(Path root, int payload, int n, double seconds, boolean raw, boolean log)
            throws Exception {
        Path rawDir = root.resolve("raw");
        Path logDir = root.resolve("log");
        delete(rawDir);
        delete(logDir);
        Files.createDirectories(rawDir);
        int rounds = Integer.getInteger("bench.rounds", 10);
        long slice = (long) (seconds * 1e9 / rounds);
        Histogram rawLatency = new Histogram(3);
        Histogram logLatency = new Histogram(3);
        Slice rawTotal = new Slice(0, 0);
        Slice logTotal = new Slice(0, 0);
        double[] ratios = new double[rounds];
        String segment = "first";
        try (RawWriteLoop rawLoop = new RawWriteLoop(rawDir.resolve("raw"), payload, n);
                SegmentedLog segmentedLog = SegmentedLog.open(logDir, logOptions())) {
            PipelinedAppender appender = new PipelinedAppender(segmentedLog, payload, n);
            if (log && SYNC == SyncPolicy.DURABLE && !Boolean.getBoolean("bench.firstSegment")) {
                boolean prepared = FirstSegmentFill.run(segmentedLog, logDir, payload, logOptions().segmentBytes());
                segment = prepared ? "prepared" : "created";
            }
            if (raw) {
                rawLoop.run(WARM_UP_NANOS, null);
            }
            if (log) {
                appender.run(WARM_UP_NANOS, null);
            }
            for (int r = 0; r < rounds; r++) {
                Slice a = raw ? rawLoop.run(slice, rawLatency) : new Slice(0, 1);
                Slice b = log ? appender.run(slice, logLatency) : new Slice(0, 1);
                rawTotal = new Slice(rawTotal.entries() + a.entries(), rawTotal.nanos() + a.nanos());
                logTotal = new Slice(logTotal.entries() + b.entries(), logTotal.nanos() + b.nanos());
                ratios[r] = b.perSecond() / a.perSecond();
            }
        }
        if (raw) {
            report("raw-write-force", payload, n, rawTotal, rawLatency);
        }
        if (log) {
            report("segmented-log-pipelined", payload, n, logTotal, logLatency);
        }
        if (raw && log) {
            java.util.Arrays.sort(ratios);
            System.out.printf("{\"bench\":\"log-vs-raw\",\"payload\":%d,\"concurrency\":%d,\"rounds\":%d,"
                    + "\"ratio\":%.2f,\"round_median\":%.2f,\"round_min\":%.2f,\"round_max\":%.2f,\"log_segment\":\"%s\"}%n",
                    payload, n, rounds, logTotal.perSecond() / rawTotal.perSecond(), ratios[rounds / 2],
                    ratios[0], ratios[rounds - 1], segment);
        }
        delete(rawDir);
        delete(logDir);
    }

    /** {@code threads} appenders, each appending one entry and waiting until it is durable, in a loop. */
    private static void threads(Path dir, int payload, int threads, double seconds) throws Exception {
        delete(dir);
        byte[] data = new byte[payload];
        try (SegmentedLog log = SegmentedLog.open(dir, logOptions())) {
            AtomicBoolean recording = new AtomicBoolean();
            AtomicBoolean stop = new AtomicBoolean();
            List<Histogram> histograms = new ArrayList<>();
            long[] counts = new long[threads];
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Histogram h = new Histogram(3);
                histograms.add(h);
                int me = t;
                Thread w = new Thread(() -> {
                    try {
                        while (!stop.get()) {
                            long t0 = System.nanoTime();
                            CompletableFuture<Void> f;
                            synchronized (log) {
                                f = log.append(List.of(Entry.command(1, log.lastIndex() + 1, data)));
                            }
                            f.get();
                            if (recording.get()) {
                                h.recordValue((System.nanoTime() - t0) / 1000);
                                counts[me]++;
                            }
                        }
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                workers.add(w);
                w.start();
            }
            Thread.sleep(500); // warm-up: a benchmark pacing itself, not test synchronisation
            recording.set(true);
            Thread.sleep((long) (seconds * 1000));
            recording.set(false);
            stop.set(true);
            for (Thread w : workers) {
                w.join();
            }
            Histogram all = new Histogram(3);
            long entries = 0;
            for (int t = 0; t < threads; t++) {
                all.add(histograms.get(t));
                entries += counts[t];
            }
            report("segmented-log-threads", payload, threads, new Slice(entries, (long) (seconds * 1e9)), all);
        }
        delete(dir);
    }

    /**
     * {@code files} threads, each appending one 128-byte record to its own preallocated file and forcing
     * it, in a loop: what a 3-node group in one JVM on one disk asks of it for a lone client. Shows how
     * far concurrent fsyncs of different files share the device (they did not on the development
     * machine: three at once each took about three times as long as one alone).
     */
    private static void fsyncSharing(Path dir, int files, double seconds) throws Exception {
        delete(dir);
        Files.createDirectories(dir);
        long fileBytes = 64L << 20;
        List<FileChannel> channels = new ArrayList<>();
        ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
        for (int i = 0; i < files; i++) {
            FileChannel ch = FileChannel.open(dir.resolve("f" + i), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            for (long at = 0; at < fileBytes; at += zeros.capacity()) {
                zeros.clear();
                ch.write(zeros, at);
            }
            ch.force(true);
            channels.add(ch);
        }
        List<Histogram> histograms = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime() + 300_000_000L;
        long end = start + (long) (seconds * 1e9);
        for (FileChannel ch : channels) {
            Histogram h = new Histogram(3);
            histograms.add(h);
            Thread t = new Thread(() -> {
                ByteBuffer record = ByteBuffer.allocateDirect(128);
                long at = 0;
                try {
                    while (true) {
                        long t0 = System.nanoTime();
                        if (t0 >= end) {
                            break;
                        }
                        record.clear();
                        ch.write(record, at);
                        at = (at + 128) % fileBytes;
                        ch.force(false);
                        if (t0 >= start) {
                            h.recordValue((System.nanoTime() - t0) / 1000);
                        }
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        Histogram all = new Histogram(3);
        for (Histogram h : histograms) {
            all.add(h);
        }
        for (FileChannel ch : channels) {
            ch.close();
        }
        System.out.printf("{\"bench\":\"fsync-sharing\",\"files\":%d,\"fsyncs_per_s\":%.0f,\"p50_us\":%d,"
                + "\"p99_us\":%d}%n", files, all.getTotalCount() / seconds, all.getValueAtPercentile(50),
                all.getValueAtPercentile(99));
        delete(dir);
    }

    /** Writes a log of about {@code mib} MiB of 1 KiB entries without fsync, then times opening it. */
    private static void recovery(Path dir, long mib) throws Exception {
        delete(dir);
        byte[] data = new byte[1024];
        long entries = mib * 1024 * 1024 / (data.length + RECORD_HEADER_BYTES);
        try (SegmentedLog log = SegmentedLog.open(dir, SegmentedLogOptions.defaults().withSyncPolicy(SyncPolicy.NONE))) {
            long next = 1;
            CompletableFuture<Void> last = null;
            while (next <= entries) {
                List<Entry> batch = new ArrayList<>(1024);
                for (int i = 0; i < 1024 && next <= entries; i++) {
                    batch.add(Entry.command(1, next++, data));
                }
                last = log.append(batch);
                if ((next & 0xFFFF) < 1024) {
                    last.get(); // bounds memory: unwritten entries stay cached
                }
            }
            last.get();
        }
        long bytes;
        try (Stream<Path> s = Files.list(dir)) {
            bytes = s.mapToLong(p -> p.toFile().length()).sum();
        }
        long t0 = System.nanoTime();
        long lastIndex;
        try (SegmentedLog log = SegmentedLog.open(dir, SegmentedLogOptions.defaults())) {
            lastIndex = log.lastIndex();
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("{\"bench\":\"recovery\",\"bytes\":%d,\"entries\":%d,\"open_s\":%.3f,\"mb_per_s\":%.1f,"
                + "\"page_cache\":\"warm\"}%n", bytes, lastIndex, s, bytes / 1e6 / s);
        delete(dir);
    }

    private static void report(String bench, int payload, int concurrency, Slice total, Histogram h) {
        double perSecond = total.perSecond();
        System.out.printf("{\"bench\":\"%s\",\"payload\":%d,\"concurrency\":%d,\"entries_per_s\":%.0f,"
                        + "\"mb_per_s\":%.2f,\"p50_us\":%d,\"p99_us\":%d,\"fsync\":%s}%n",
                bench, payload, concurrency, perSecond, perSecond * payload / 1e6,
                h.getValueAtPercentile(50), h.getValueAtPercentile(99), bench.startsWith("raw") || SYNC == SyncPolicy.DURABLE);
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
