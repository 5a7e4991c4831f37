package io.raftkit.storage;

import io.raftkit.core.Configuration;
import io.raftkit.core.Entry;
import io.raftkit.core.HardState;
import io.raftkit.core.SnapshotMeta;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Semaphore;

/**
 * The child process of {@link SegmentedLogCrashTest}: appends to a durable log forever, with a few
 * appends in flight, and prints a line for every write whose future completed ("durable 123",
 * "hardstate 7", "compacted 100"). The parent kills it with SIGKILL at a random moment.
 */
public final class CrashWorkload {

    static final SegmentedLogOptions OPTIONS = SegmentedLogOptions.defaults().withSegmentBytes(256 * 1024);

    private CrashWorkload() {}

    /** The payload every index must carry, so the parent can check entries without a copy of them. */
    static Entry expected(long index) {
        int length = (int) ((index * 7919) % 2048);
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) {
            data[i] = (byte) (index * 31 + i);
        }
        return Entry.command(1 + index / 1000, index, data);
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Random random = new Random(Long.parseLong(args[1]));
        PrintStream out = System.out;
        SegmentedLog log = SegmentedLog.open(dir, OPTIONS);
        Semaphore inFlight = new Semaphore(8);
        long next = log.lastIndex() + 1;
        long term = log.hardState().term();
        while (true) {
            inFlight.acquire();
            int n = 1 + random.nextInt(16);
            List<Entry> batch = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                batch.add(expected(next + i));
            }
            long last = next + n - 1;
            next += n;
            log.append(batch).whenComplete((v, e) -> report(out, e, "durable " + last, inFlight));
            if (random.nextInt(40) == 0) {
                long t = ++term;
                inFlight.acquire();
                log.saveHardState(new HardState(t, "n" + t, 0))
                        .whenComplete((v, e) -> report(out, e, "hardstate " + t, inFlight));
            }
            if (random.nextInt(300) == 0 && last - log.firstIndex() > 500) {
                long at = last - 200;
                inFlight.acquire();
                log.compact(new SnapshotMeta(at, log.term(at), Configuration.of("n1", "n2", "n3")))
                        .whenComplete((v, e) -> report(out, e, "compacted " + at, inFlight));
            }
        }
    }

    private static void report(PrintStream out, Throwable error, String line, Semaphore inFlight) {
        if (error != null) {
            error.printStackTrace();
            System.exit(2);
        }
        synchronized (out) {
            out.println(line);
            out.flush();
        }
        inFlight.release();
    }
}
