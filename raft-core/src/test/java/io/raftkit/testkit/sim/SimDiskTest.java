package io.raftkit.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.core.Entry;
import io.raftkit.core.HardState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The part of {@link SimDisk} the contract test cannot see: delayed, ordered completion and crashes. */
class SimDiskTest {

    private static List<Entry> entries(long term, long from, long toInclusive) {
        List<Entry> out = new ArrayList<>();
        for (long i = from; i <= toInclusive; i++) {
            out.add(Entry.command(term, i, ("e" + i + "t" + term).getBytes()));
        }
        return out;
    }

    @Test
    void writesAreReadableAtOnceButDurableOnlyWhenCompletedInOrder() {
        SimDisk disk = new SimDisk();
        CompletableFuture<Void> a = disk.append(entries(1, 1, 3));
        CompletableFuture<Void> b = disk.saveHardState(new HardState(1, "n1", 0));
        assertThat(disk.lastIndex()).isEqualTo(3);
        assertThat(disk.hardState().votedFor()).isEqualTo("n1");
        assertThat(a).isNotDone();
        assertThat(disk.durableLastIndex()).isZero();
        assertThat(disk.completeNext()).isTrue();
        assertThat(a).isCompleted();
        assertThat(b).isNotDone();
        assertThat(disk.durableTerm(3)).isEqualTo(1);
        assertThat(disk.pendingWrites()).isEqualTo(1);
    }

    @Test
    void aCrashLosesWhatWasNotDurableAndFailsItsFutures() {
        SimDisk disk = new SimDisk();
        disk.append(entries(1, 1, 3));
        disk.completeNext();
        CompletableFuture<Void> lost = disk.append(entries(1, 4, 6));
        disk.saveHardState(new HardState(2, "n2", 3));
        SimDisk restarted = disk.crash(0, 0);
        assertThat(lost).isCompletedExceptionally();
        assertThat(restarted.lastIndex()).isEqualTo(3);
        assertThat(restarted.hardState()).isEqualTo(HardState.EMPTY);
    }

    @Test
    void aCrashMayKeepAPrefixOfPendingWritesAndATornAppend() {
        SimDisk disk = new SimDisk();
        disk.append(entries(1, 1, 5));
        disk.completeAll();
        disk.saveHardState(new HardState(2, null, 0));
        disk.append(entries(2, 3, 8)); // replaces 3..5
        SimDisk restarted = disk.crash(1, 2);
        assertThat(restarted.hardState().term()).isEqualTo(2);
        assertThat(restarted.lastIndex()).isEqualTo(4);
        assertThat(restarted.term(3)).isEqualTo(2);
        assertThat(restarted.term(4)).isEqualTo(2);
    }

    @Test
    void anEmptyAppendIsABarrierThatCompletesAfterEarlierWrites() {
        SimDisk disk = new SimDisk();
        CompletableFuture<Void> a = disk.append(entries(1, 1, 1));
        CompletableFuture<Void> barrier = disk.append(List.of());
        disk.completeNext();
        assertThat(a).isCompleted();
        assertThat(barrier).isNotDone();
        disk.completeNext();
        assertThat(barrier).isCompleted();
        assertThat(disk.durableWrites()).isEqualTo(2);
    }
}
