package io.raftkit.storage;

import io.raftkit.core.Entry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Entries with recognisable payloads, and a bounded wait for futures. */
final class TestEntries {

    /** Payload bytes of {@link #hundredBytes} entries. */
    static final int HUNDRED = 100;

    private TestEntries() {}

    static Entry entry(long term, long index) {
        return Entry.command(term, index, ("e" + index + "t" + term).getBytes());
    }

    static List<Entry> entries(long term, long from, long toInclusive) {
        List<Entry> out = new ArrayList<>();
        for (long i = from; i <= toInclusive; i++) {
            out.add(entry(term, i));
        }
        return out;
    }

    /** A term-1 command at {@code index} whose payload is 100 bytes marked with the index. */
    static Entry hundredBytes(long index) {
        byte[] data = new byte[HUNDRED];
        data[0] = (byte) index;
        data[HUNDRED - 1] = (byte) (index >> 8);
        return Entry.command(1, index, data);
    }

    /** {@link #hundredBytes} entries from {@code from} to {@code toInclusive}. */
    static List<Entry> hundredBytes(long from, long toInclusive) {
        List<Entry> out = new ArrayList<>();
        for (long i = from; i <= toInclusive; i++) {
            out.add(hundredBytes(i));
        }
        return out;
    }

    /** Appends {@link #hundredBytes} entries, 50 at a time, until the log ends at {@code lastIndex}. */
    static void appendHundredBytesThrough(SegmentedLog log, long lastIndex) throws Exception {
        while (log.lastIndex() < lastIndex) {
            long from = log.lastIndex() + 1;
            await(log.append(hundredBytes(from, Math.min(lastIndex, from + 49))));
        }
    }

    static void await(CompletableFuture<Void> f) throws Exception {
        f.get(30, TimeUnit.SECONDS);
    }
}
