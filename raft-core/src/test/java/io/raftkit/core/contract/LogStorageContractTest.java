package io.raftkit.core.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkit.core.Configuration;
import io.raftkit.core.Entry;
import io.raftkit.core.EntryType;
import io.raftkit.core.HardState;
import io.raftkit.core.LogStorage;
import io.raftkit.core.SnapshotMeta;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link LogStorage} promises. An implementation's test extends this class and
 * says how to create a fresh storage and how to reopen one after it was closed (a restart).
 */
public abstract class LogStorageContractTest {

    private final List<LogStorage> opened = new ArrayList<>();

    /** A new, empty storage. */
    protected abstract LogStorage create() throws Exception;

    /** A storage over the same durable state as {@code closed}, which the test has already closed. */
    protected abstract LogStorage reopen(LogStorage closed) throws Exception;

    @AfterEach
    void closeAll() {
        for (LogStorage s : opened) {
            s.close();
        }
    }

    private LogStorage fresh() throws Exception {
        LogStorage s = create();
        opened.add(s);
        return s;
    }

    private LogStorage restart(LogStorage s) throws Exception {
        s.close();
        LogStorage r = reopen(s);
        opened.add(r);
        return r;
    }

    protected static Entry entry(long term, long index) {
        return Entry.command(term, index, ("e" + index + "t" + term).getBytes());
    }

    protected static List<Entry> entries(long term, long from, long toInclusive) {
        List<Entry> out = new ArrayList<>();
        for (long i = from; i <= toInclusive; i++) {
            out.add(entry(term, i));
        }
        return out;
    }

    protected static void await(CompletableFuture<Void> f) throws Exception {
        f.get(30, TimeUnit.SECONDS);
    }

    @Test
    void aNewStorageIsEmpty() throws Exception {
        LogStorage s = fresh();
        assertThat(s.firstIndex()).isEqualTo(1);
        assertThat(s.lastIndex()).isEqualTo(0);
        assertThat(s.term(0)).isEqualTo(0);
        assertThat(s.hardState()).isEqualTo(HardState.EMPTY);
        assertThat(s.snapshotMeta()).isEqualTo(SnapshotMeta.NONE);
        assertThat(s.entries(1, 1, Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void appendedEntriesAreReadableAtOnceAndAfterTheFutureCompletes() throws Exception {
        LogStorage s = fresh();
        CompletableFuture<Void> f = s.append(entries(1, 1, 10));
        assertThat(s.lastIndex()).isEqualTo(10);
        assertThat(s.entries(1, 11, Long.MAX_VALUE)).isEqualTo(entries(1, 1, 10));
        await(f);
        assertThat(s.term(7)).isEqualTo(1);
        assertThat(s.entries(3, 6, Long.MAX_VALUE)).isEqualTo(entries(1, 3, 5));
    }

    @Test
    void entriesStopAtTheByteLimitButReturnAtLeastOne() throws Exception {
        LogStorage s = fresh();
        await(s.append(entries(1, 1, 10)));
        long one = entry(1, 1).sizeBytes();
        assertThat(s.entries(1, 11, 0)).hasSize(1);
        assertThat(s.entries(1, 11, one)).hasSize(1);
        assertThat(s.entries(1, 11, one * 3)).hasSize(3);
        assertThat(s.entries(1, 11, one * 3 + one / 2)).hasSize(3);
    }

    @Test
    void readsOutsideTheLogAreRejected() throws Exception {
        LogStorage s = fresh();
        await(s.append(entries(1, 1, 3)));
        assertThatThrownBy(() -> s.term(4)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> s.term(-1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> s.entries(2, 5, Long.MAX_VALUE)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> s.entries(0, 2, Long.MAX_VALUE)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void appendsThatDoNotFitTheLogAreRejectedAtOnce() throws Exception {
        LogStorage s = fresh();
        await(s.append(entries(1, 1, 3)));
        assertThatThrownBy(() -> s.append(entries(1, 5, 6))).isInstanceOf(IllegalArgumentException.class);
        List<Entry> gap = List.of(entry(1, 4), entry(1, 6));
        assertThatThrownBy(() -> s.append(gap)).isInstanceOf(IllegalArgumentException.class);
        assertThat(s.lastIndex()).isEqualTo(3);
    }

    @Test
    void appendReplacesAConflictingSuffix() throws Exception {
        LogStorage s = fresh();
        await(s.append(entries(1, 1, 10)));
        await(s.append(entries(2, 6, 7)));
        assertThat(s.lastIndex()).isEqualTo(7);
        assertThat(s.term(5)).isEqualTo(1);
        assertThat(s.term(6)).isEqualTo(2);
        assertThat(s.entries(5, 8, Long.MAX_VALUE)).containsExactly(entry(1, 5), entry(2, 6), entry(2, 7));
        LogStorage r = restart(s);
        assertThat(r.lastIndex()).isEqualTo(7);
        assertThat(r.entries(1, 8, Long.MAX_VALUE))
                .containsExactlyElementsOf(concat(entries(1, 1, 5), entries(2, 6, 7)));
    }

    @Test
    void truncateSuffixRemovesTheTail() throws Exception {
        LogStorage s = fresh();
        await(s.append(entries(1, 1, 10)));
        await(s.truncateSuffix(4));
        assertThat(s.lastIndex()).isEqualTo(3);
        await(s.append(entries(3, 4, 5)));
        LogStorage r = restart(s);
        assertThat(r.lastIndex()).isEqualTo(5);
        assertThat(r.term(3)).isEqualTo(1);
        assertThat(r.term(4)).isEqualTo(3);
        assertThatThrownBy(() -> r.truncateSuffix(9)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hardStateSurvivesARestart() throws Exception {
        LogStorage s = fresh();
        await(s.saveHardState(new HardState(3, "n2", 0)));
        await(s.saveHardState(new HardState(5, null, 17)));
        assertThat(s.hardState()).isEqualTo(new HardState(5, null, 17));
        LogStorage r = restart(s);
        assertThat(r.hardState()).isEqualTo(new HardState(5, null, 17));
        await(r.saveHardState(new HardState(6, "n1", 17)));
        assertThat(restart(r).hardState()).isEqualTo(new HardState(6, "n1", 17));
    }

    @Test
    void compactKeepsTheSuffixAfterAMatchingSnapshot() throws Exception {
        LogStorage s = fresh();
        await(s.append(entries(1, 1, 10)));
        await(s.append(entries(2, 11, 20)));
        SnapshotMeta snap = new SnapshotMeta(12, 2, Configuration.of("n1", "n2", "n3"));
        await(s.compact(snap));
        assertCompactedTo(s, snap, 20);
        LogStorage r = restart(s);
        assertCompactedTo(r, snap, 20);
        assertThat(r.entries(13, 21, Long.MAX_VALUE)).isEqualTo(entries(2, 13, 20));
        await(r.append(entries(3, 21, 22)));
        assertThat(restart(r).lastIndex()).isEqualTo(22);
    }

    @Test
    void compactDiscardsTheLogWhenTheSnapshotConflictsOrLiesBeyondIt() throws Exception {
        LogStorage s = fresh();
        await(s.append(entries(1, 1, 10)));
        SnapshotMeta conflicting = new SnapshotMeta(8, 4, Configuration.of("n1"));
        await(s.compact(conflicting));
        assertCompactedTo(s, conflicting, 8);
        SnapshotMeta beyond = new SnapshotMeta(50, 5, Configuration.of("n1"));
        await(s.compact(beyond));
        assertCompactedTo(s, beyond, 50);
        LogStorage r = restart(s);
        assertCompactedTo(r, beyond, 50);
        await(r.append(entries(5, 51, 52)));
        LogStorage r2 = restart(r);
        assertThat(r2.entries(51, 53, Long.MAX_VALUE)).isEqualTo(entries(5, 51, 52));
        assertThat(r2.term(50)).isEqualTo(5);
    }

    @Test
    void compactAtOrBelowTheBoundaryIsANoOp() throws Exception {
        LogStorage s = fresh();
        await(s.append(entries(1, 1, 10)));
        SnapshotMeta snap = new SnapshotMeta(5, 1, Configuration.of("n1"));
        await(s.compact(snap));
        await(s.compact(new SnapshotMeta(3, 1, Configuration.of("n1"))));
        assertCompactedTo(s, snap, 10);
    }

    @Test
    void anEmptyAppendIsABarrierAndFuturesCompleteInOrder() throws Exception {
        LogStorage s = fresh();
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        List<Integer> completionOrder = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 50; i++) {
            CompletableFuture<Void> f = s.append(List.of(entry(1, i + 1)));
            int n = i;
            futures.add(f.whenComplete((v, e) -> completionOrder.add(n)));
        }
        CompletableFuture<Void> barrier = s.append(List.of());
        await(barrier);
        for (CompletableFuture<Void> f : futures) {
            assertThat(f).isDone();
        }
        assertThat(completionOrder).isSorted();
    }

    @Test
    void manyEntriesAndLargePayloadsSurviveARestart() throws Exception {
        LogStorage s = fresh();
        byte[] big = new byte[1 << 20];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        long index = 1;
        for (int batch = 0; batch < 200; batch++) {
            List<Entry> es = new ArrayList<>();
            for (int k = 0; k < 20; k++, index++) {
                es.add(entry(1 + batch / 50, index));
            }
            futures.add(s.append(es));
        }
        futures.add(s.append(List.of(new Entry(5, index, EntryType.COMMAND, big), Entry.noop(5, index + 1))));
        for (CompletableFuture<Void> f : futures) {
            await(f);
        }
        LogStorage r = restart(s);
        assertThat(r.lastIndex()).isEqualTo(index + 1);
        assertThat(r.entries(index, index + 2, Long.MAX_VALUE))
                .containsExactly(new Entry(5, index, EntryType.COMMAND, big), Entry.noop(5, index + 1));
        long read = 1;
        while (read < index) {
            List<Entry> page = r.entries(read, index, 64 * 1024);
            for (Entry e : page) {
                assertThat(e).isEqualTo(entry(1 + (read - 1) / 20 / 50, read));
                read++;
            }
        }
    }

    private static void assertCompactedTo(LogStorage s, SnapshotMeta snap, long lastIndex) {
        assertThat(s.snapshotMeta()).isEqualTo(snap);
        assertThat(s.firstIndex()).isEqualTo(snap.index() + 1);
        assertThat(s.lastIndex()).isEqualTo(lastIndex);
        assertThat(s.term(snap.index())).isEqualTo(snap.term());
        assertThatThrownBy(() -> s.term(snap.index() - 1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    private static List<Entry> concat(List<Entry> a, List<Entry> b) {
        List<Entry> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
