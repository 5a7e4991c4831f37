package io.raftkit.testkit.check;

import static io.raftkit.testkit.KvMachine.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkit.testkit.KvMachine;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Each planted fault in a small key-value state machine is caught by the check named for it, and only
 * by the checks it should trip; the correct machine passes all three.
 */
class StateMachineCheckTest {

    private static StateMachineCheck<KvMachine> check(Supplier<KvMachine> machines) {
        return StateMachineCheck.of(machines)
                .commands(400, 7, r -> bytes("put k" + r.nextInt(8) + " v" + r.nextInt(1000)))
                .queries(List.of(bytes("k3"), bytes("k1"), bytes("k5")));
    }

    @Test
    void aCorrectStateMachinePassesEveryCheck() {
        assertThat(check(KvMachine::new).run()).isEmpty();
        check(KvMachine::new).assertPasses();
    }

    @Test
    void anApplyThatReadsTheClockFailsDeterminism() {
        List<String> failures = check(KvMachine.ReadsTheClock::new).run();
        assertThat(failures).anySatisfy(f -> assertThat(f).startsWith(StateMachineCheck.DETERMINISM + ": command at index"));
    }

    @Test
    void aSnapshotThatDropsAKeyFailsTheRoundTrip() {
        List<String> failures = check(KvMachine.SnapshotDropsAKey::new).run();
        assertThat(failures).singleElement().satisfies(f -> assertThat(f)
                .startsWith(StateMachineCheck.SNAPSHOT + ": a replica restored from the snapshot taken at index 200")
                .contains("query #1 \"k1\""));
    }

    @Test
    void aRestoreThatMergesFailsTheRoundTrip() {
        List<String> failures = check(KvMachine.RestoreMerges::new).run();
        assertThat(failures).singleElement().satisfies(f -> assertThat(f)
                .startsWith(StateMachineCheck.SNAPSHOT).contains("restore must replace the state"));
    }

    @Test
    void aQueryThatChangesTheStateFailsQueryPurity() {
        List<String> failures = check(KvMachine.QueryCounts::new).run();
        assertThat(failures).anySatisfy(f -> assertThat(f).startsWith(StateMachineCheck.QUERY_PURITY + ": query #0"));
    }

    @Test
    void theFailureNamesTheSeedAndEveryFailedCheck() {
        assertThatThrownBy(() -> check(KvMachine.QueryCounts::new).assertPasses())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("seed=7")
                .hasMessageContaining(StateMachineCheck.QUERY_PURITY + ":");
    }

    @Test
    void aCommandThatThrowsIsReportedWithItsIndex() {
        List<String> failures = StateMachineCheck.of(KvMachine::new).commands(List.of(bytes("put a 1"), bytes("bad"))).run();
        assertThat(failures).first().asString().startsWith(StateMachineCheck.DETERMINISM + ": command at index 2 \"bad\" threw");
    }

    @Test
    void aUserEqualityReplacesTheSnapshotBytes() {
        // Equal by value although the snapshot drops k1: the round trip is then judged by the queries alone.
        List<String> failures = check(KvMachine.SnapshotDropsAKey::new).equality((a, b) -> true).run();
        assertThat(failures).singleElement().asString().contains("query #1");
    }
}
