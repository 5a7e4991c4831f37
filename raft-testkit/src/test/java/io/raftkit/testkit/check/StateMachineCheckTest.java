package io.raftkit.testkit.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkit.core.StateMachine;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Each planted fault in a small key-value state machine is caught by the check named for it, and only
 * by the checks it should trip; the correct machine passes all three.
 */
class StateMachineCheckTest {

    /** "put k v" sets a key and returns the previous value; a query "k" returns the value ("" when absent). */
    static class Kv implements StateMachine {
        final Map<String, String> data = new TreeMap<>();

        @Override
        public byte[] apply(long index, byte[] command) {
            String[] p = new String(command, StandardCharsets.UTF_8).split(" ");
            String previous = data.put(p[1], value(p[2]));
            return bytes(previous == null ? "" : previous);
        }

        String value(String given) {
            return given;
        }

        @Override
        public byte[] query(byte[] query) {
            return bytes(data.getOrDefault(new String(query, StandardCharsets.UTF_8), ""));
        }

        @Override
        public void writeSnapshot(OutputStream out) throws IOException {
            DataOutputStream d = new DataOutputStream(out);
            d.writeInt(data.size());
            for (Map.Entry<String, String> e : data.entrySet()) {
                d.writeUTF(e.getKey());
                d.writeUTF(e.getValue());
            }
        }

        @Override
        public void restoreSnapshot(InputStream in) throws IOException {
            data.clear();
            DataInputStream d = new DataInputStream(in);
            for (int i = d.readInt(); i > 0; i--) {
                data.put(d.readUTF(), d.readUTF());
            }
        }
    }

    /** Planted: apply stamps each value with the time it was applied. */
    static final class ReadsTheClock extends Kv {
        @Override
        String value(String given) {
            return given + "@" + System.currentTimeMillis();
        }
    }

    /** Planted: the snapshot leaves out one key. */
    static final class SnapshotDropsAKey extends Kv {
        @Override
        public void writeSnapshot(OutputStream out) throws IOException {
            String dropped = data.remove("k3");
            super.writeSnapshot(out);
            if (dropped != null) {
                data.put("k3", dropped);
            }
        }
    }

    /** Planted: restoring merges into the current state instead of replacing it. */
    static final class RestoreMerges extends Kv {
        @Override
        public void restoreSnapshot(InputStream in) throws IOException {
            Map<String, String> kept = new TreeMap<>(data);
            super.restoreSnapshot(in);
            kept.forEach(data::putIfAbsent);
        }
    }

    /** Planted: a query counts itself into the state. */
    static final class QueryCounts extends Kv {
        @Override
        public byte[] query(byte[] query) {
            data.merge("queries", "1", (a, b) -> Integer.toString(Integer.parseInt(a) + 1));
            return super.query(query);
        }
    }

    private static StateMachineCheck<Kv> check(Supplier<Kv> machines) {
        return StateMachineCheck.of(machines)
                .commands(400, 7, r -> bytes("put k" + r.nextInt(8) + " v" + r.nextInt(1000)))
                .queries(List.of(bytes("k1"), bytes("k3"), bytes("k5")));
    }

    @Test
    void aCorrectStateMachinePassesEveryCheck() {
        assertThat(check(Kv::new).run()).isEmpty();
        check(Kv::new).assertPasses();
    }

    @Test
    void anApplyThatReadsTheClockFailsDeterminism() {
        List<String> failures = check(ReadsTheClock::new).run();
        assertThat(failures).anySatisfy(f -> assertThat(f).startsWith(StateMachineCheck.DETERMINISM + ": command at index"));
    }

    @Test
    void aSnapshotThatDropsAKeyFailsTheRoundTrip() {
        List<String> failures = check(SnapshotDropsAKey::new).run();
        assertThat(failures).singleElement().satisfies(f -> assertThat(f)
                .startsWith(StateMachineCheck.SNAPSHOT + ": a replica restored from the snapshot taken at index 200")
                .contains("query #1 \"k3\""));
    }

    @Test
    void aRestoreThatMergesFailsTheRoundTrip() {
        List<String> failures = check(RestoreMerges::new).run();
        assertThat(failures).singleElement().satisfies(f -> assertThat(f)
                .startsWith(StateMachineCheck.SNAPSHOT).contains("restore must replace the state"));
    }

    @Test
    void aQueryThatChangesTheStateFailsQueryPurity() {
        List<String> failures = check(QueryCounts::new).run();
        assertThat(failures).anySatisfy(f -> assertThat(f).startsWith(StateMachineCheck.QUERY_PURITY + ": query #0"));
    }

    @Test
    void theFailureNamesTheSeedAndEveryFailedCheck() {
        assertThatThrownBy(() -> check(QueryCounts::new).assertPasses())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("seed=7")
                .hasMessageContaining(StateMachineCheck.QUERY_PURITY + ":");
    }

    @Test
    void aCommandThatThrowsIsReportedWithItsIndex() {
        List<String> failures = StateMachineCheck.of(Kv::new).commands(List.of(bytes("put a 1"), bytes("bad"))).run();
        assertThat(failures).first().asString().startsWith(StateMachineCheck.DETERMINISM + ": command at index 2 \"bad\" threw");
    }

    @Test
    void aUserEqualityReplacesTheSnapshotBytes() {
        // Equal by value although the snapshot drops k3: the round trip is then judged by the queries alone.
        List<String> failures = check(SnapshotDropsAKey::new).equality((a, b) -> true).run();
        assertThat(failures).singleElement().asString().contains("query #1");
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
