package io.raftkit.storage.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.HdrHistogram.Histogram;

/**
 * The raw baseline: one {@code FileChannel.write} of {@code batch} records (payload + record
 * header bytes) followed by one {@code force(false)}, in a loop, appending to a growing file. Batch 1 is
 * the unbatched baseline, larger batches the batched one. It can run in slices, so that a cell can
 * alternate it with the log on the same disk.
 */
final class RawWriteLoop implements AutoCloseable {

    private final FileChannel ch;
    private final ByteBuffer buf;
    private final int batch;

    RawWriteLoop(Path file, int payload, int batch) throws IOException {
        this.batch = batch;
        this.ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        this.buf = ByteBuffer.allocateDirect(batch * (payload + WalBenchmark.RECORD_HEADER_BYTES));
        while (buf.hasRemaining()) {
            buf.put((byte) 7);
        }
    }

    /**
     * Writes and forces batches, starting new ones for {@code nanos}; records each write+force call's
     * latency in µs into {@code latency} (when not null).
     */
    Slice run(long nanos, Histogram latency) throws IOException {
        long start = System.nanoTime();
        long end = start + nanos;
        long records = 0;
        while (true) {
            long t0 = System.nanoTime();
            if (t0 >= end) {
                return new Slice(records, t0 - start);
            }
            buf.clear();
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(false);
            if (latency != null) {
                latency.recordValue((System.nanoTime() - t0) / 1000);
            }
            records += batch;
        }
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
