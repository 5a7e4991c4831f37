package io.raftkit.storage;

import io.raftkit.core.Entry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Entries with recognisable payloads, and a bounded wait for futures. */
final class TestEntries {

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

    static void await(CompletableFuture<Void> f) throws Exception {
        f.get(30, TimeUnit.SECONDS);
    }
}
