package io.raftkit.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.core.Configuration;
import io.raftkit.core.Entry;
import io.raftkit.core.EntryType;
import io.raftkit.core.HardState;
import io.raftkit.core.LogStorage;
import io.raftkit.core.SnapshotMeta;
import io.raftkit.testkit.memory.InMemoryLogStorage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random sequences of appends (some replacing a suffix), truncations, compactions (matching and
 * conflicting), hard-state saves and restarts, applied to a {@link SegmentedLog} on tiny segments and
 * to raft-core's {@link InMemoryLogStorage} as the model; after every step both must answer alike.
 * The seed is printed; {@code -Draftkit.model.seed=...} replays a run.
 */
class SegmentedLogModelTest {

    @TempDir
    Path dir;

    private static final SegmentedLogOptions OPTIONS =
            SegmentedLogOptions.defaults().withSegmentBytes(1024).withCacheBytes(300).withSyncPolicy(SyncPolicy.NONE);

    @Test
    void behavesLikeTheInMemoryModel() throws Exception {
        long seed = Long.getLong("raftkit.model.seed", System.nanoTime());
        System.out.println("SegmentedLogModelTest seed " + seed);
        Random random = new Random(seed);
        InMemoryLogStorage model = new InMemoryLogStorage();
        SegmentedLog log = SegmentedLog.open(dir, OPTIONS);
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        long term = 1;
        try {
            for (int step = 0; step < 1500; step++) {
                int op = random.nextInt(100);
                if (op < 55) {
                    long from = op < 45 || model.lastIndex() < model.firstIndex()
                            ? model.lastIndex() + 1
                            : model.firstIndex() + random.nextInt((int) (model.lastIndex() - model.firstIndex() + 1));
                    if (random.nextInt(10) == 0) {
                        term++;
                    }
                    List<Entry> es = new ArrayList<>();
                    int n = 1 + random.nextInt(12);
                    for (int i = 0; i < n; i++) {
                        byte[] data = new byte[random.nextInt(random.nextInt(10) == 0 ? 3000 : 60)];
                        random.nextBytes(data);
                        es.add(new Entry(term, from + i, random.nextInt(20) == 0 ? EntryType.NOOP : EntryType.COMMAND, data));
                    }
                    model.append(es);
                    pending.add(log.append(es));
                } else if (op < 65) {
                    long from = model.firstIndex() + random.nextInt((int) (model.lastIndex() - model.firstIndex() + 2));
                    model.truncateSuffix(from);
                    pending.add(log.truncateSuffix(from));
                } else if (op < 75) {
                    SnapshotMeta snap = snapshot(random, model, term);
                    model.compact(snap);
                    pending.add(log.compact(snap));
                } else if (op < 85) {
                    HardState hs = new HardState(term, random.nextBoolean() ? null : "n" + random.nextInt(5), random.nextInt(100));
                    model.saveHardState(hs);
                    pending.add(log.saveHardState(hs));
                } else if (op < 92) {
                    for (CompletableFuture<Void> f : pending) {
                        f.get(30, TimeUnit.SECONDS);
                    }
                    pending.clear();
                    log.close();
                    log = SegmentedLog.open(dir, OPTIONS);
                    model = model.reopen();
                }
                assertSame(model, log, random, step, seed);
            }
            for (CompletableFuture<Void> f : pending) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            log.close();
        }
    }

    private static SnapshotMeta snapshot(Random random, LogStorage model, long term) {
        Configuration c = Configuration.of("n" + random.nextInt(3), "n" + (3 + random.nextInt(3)));
        long first = model.firstIndex();
        long last = model.lastIndex();
        int kind = random.nextInt(4);
        if (kind == 0 || last < first) {
            return new SnapshotMeta(last + 1 + random.nextInt(30), term + 1, c); // beyond the log
        }
        long at = first + random.nextInt((int) (last - first + 1));
        if (kind == 1) {
            return new SnapshotMeta(at, model.term(at) + 1, c); // conflicting term
        }
        return new SnapshotMeta(at, model.term(at), c); // matching: keeps the suffix
    }

    private static void assertSame(LogStorage model, LogStorage log, Random random, int step, long seed) {
        String where = "step " + step + ", seed " + seed;
        assertThat(log.firstIndex()).as(where).isEqualTo(model.firstIndex());
        assertThat(log.lastIndex()).as(where).isEqualTo(model.lastIndex());
        assertThat(log.snapshotMeta()).as(where).isEqualTo(model.snapshotMeta());
        assertThat(log.hardState()).as(where).isEqualTo(model.hardState());
        for (long i = model.firstIndex() - 1; i <= model.lastIndex(); i++) {
            assertThat(log.term(i)).as(where + ", term(%d)", i).isEqualTo(model.term(i));
        }
        long from = model.firstIndex() + random.nextInt((int) (model.lastIndex() - model.firstIndex() + 2));
        long to = from + random.nextInt((int) (model.lastIndex() + 2 - from));
        long maxBytes = random.nextInt(4) == 0 ? Long.MAX_VALUE : random.nextInt(2000);
        assertThat(log.entries(from, to, maxBytes)).as(where + ", entries(%d, %d, %d)", from, to, maxBytes)
                .isEqualTo(model.entries(from, to, maxBytes));
    }
}
