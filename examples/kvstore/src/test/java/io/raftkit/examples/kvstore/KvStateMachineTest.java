package io.raftkit.examples.kvstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KvStateMachineTest {

    private final KvStateMachine kv = new KvStateMachine();
    private long index;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private WriteOutcome apply(KvCommand c) {
        return WriteOutcome.decode(kv.apply(++index, c.encode()));
    }

    private Optional<String> get(KvStateMachine machine, String key) {
        return KvQuery.value(machine.query(KvQuery.get(b(key)))).map(v -> new String(v, StandardCharsets.UTF_8));
    }

    @Test
    void putOverwritesAndGetReadsBack() {
        assertThat(get(kv, "k")).isEmpty();
        assertThat(apply(new KvCommand.Put(b("k"), b("v1")))).isEqualTo(WriteOutcome.APPLIED);
        assertThat(apply(new KvCommand.Put(b("k"), b("v2")))).isEqualTo(WriteOutcome.APPLIED);
        assertThat(get(kv, "k")).contains("v2");
    }

    @Test
    void anEmptyValueIsPresentNotAbsent() {
        apply(new KvCommand.Put(b("k"), new byte[0]));
        assertThat(get(kv, "k")).contains("");
    }

    @Test
    void deleteRemovesAndDeletingAnAbsentKeyIsApplied() {
        apply(new KvCommand.Put(b("k"), b("v")));
        assertThat(apply(new KvCommand.Delete(b("k")))).isEqualTo(WriteOutcome.APPLIED);
        assertThat(get(kv, "k")).isEmpty();
        assertThat(apply(new KvCommand.Delete(b("k")))).isEqualTo(WriteOutcome.APPLIED);
    }

    @Test
    void compareAndSetSucceedsOnlyWhenTheCurrentValueMatches() {
        apply(new KvCommand.Put(b("k"), b("old")));
        assertThat(apply(new KvCommand.CompareAndSet(b("k"), b("wrong"), b("new")))).isEqualTo(WriteOutcome.CAS_MISMATCH);
        assertThat(get(kv, "k")).contains("old");
        assertThat(apply(new KvCommand.CompareAndSet(b("k"), b("old"), b("new")))).isEqualTo(WriteOutcome.APPLIED);
        assertThat(get(kv, "k")).contains("new");
    }

    @Test
    void anAbsentKeyMatchesOnlyAnEmptyExpect() {
        assertThat(apply(new KvCommand.CompareAndSet(b("k"), b("x"), b("v")))).isEqualTo(WriteOutcome.CAS_MISMATCH);
        assertThat(get(kv, "k")).isEmpty();
        assertThat(apply(new KvCommand.CompareAndSet(b("k"), new byte[0], b("v")))).isEqualTo(WriteOutcome.APPLIED);
        assertThat(get(kv, "k")).contains("v");
        // Now present (with a non-empty value): an empty expect no longer matches.
        assertThat(apply(new KvCommand.CompareAndSet(b("k"), new byte[0], b("w")))).isEqualTo(WriteOutcome.CAS_MISMATCH);
    }

    @Test
    void aPresentEmptyValueMatchesAnEmptyExpect() {
        apply(new KvCommand.Put(b("k"), new byte[0]));
        assertThat(apply(new KvCommand.CompareAndSet(b("k"), new byte[0], b("v")))).isEqualTo(WriteOutcome.APPLIED);
    }

    @Test
    void aMalformedCommandChangesNothingAndDoesNotThrow() {
        apply(new KvCommand.Put(b("k"), b("v")));
        assertThat(WriteOutcome.decode(kv.apply(++index, new byte[0]))).isEqualTo(WriteOutcome.MALFORMED);
        assertThat(WriteOutcome.decode(kv.apply(++index, new byte[] {9, 1, 2}))).isEqualTo(WriteOutcome.MALFORMED);
        assertThat(WriteOutcome.decode(kv.apply(++index, new byte[] {KvCommand.PUT, 50, 'k'})))
                .isEqualTo(WriteOutcome.MALFORMED);
        assertThat(kv.size()).isEqualTo(1);
        assertThat(get(kv, "k")).contains("v");
    }

    @Test
    void aSnapshotRestoresTheWholeMapIncludingBinaryKeysAndEmptyValues() throws IOException {
        byte[] binaryKey = {0, (byte) 0xFF, 10, 13};
        apply(new KvCommand.Put(binaryKey, new byte[] {1, 2, 3}));
        apply(new KvCommand.Put(b("empty"), new byte[0]));
        for (int i = 0; i < 1000; i++) {
            apply(new KvCommand.Put(b("k" + i), b("v" + i)));
        }
        apply(new KvCommand.Delete(b("k7")));
        ByteArrayOutputStream image = new ByteArrayOutputStream();
        kv.writeSnapshot(image);

        KvStateMachine restored = new KvStateMachine();
        restored.apply(1, new KvCommand.Put(b("stale"), b("gone after restore")).encode());
        restored.restoreSnapshot(new ByteArrayInputStream(image.toByteArray()));

        assertThat(restored.size()).isEqualTo(kv.size()).isEqualTo(1001);
        assertThat(get(restored, "stale")).isEmpty();
        assertThat(get(restored, "k7")).isEmpty();
        assertThat(get(restored, "k999")).contains("v999");
        assertThat(get(restored, "empty")).contains("");
        assertThat(KvQuery.value(restored.query(KvQuery.get(binaryKey)))).hasValueSatisfying(
                v -> assertThat(v).containsExactly(1, 2, 3));
        // The same map gives the same image: snapshots are deterministic.
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        restored.writeSnapshot(again);
        assertThat(again.toByteArray()).isEqualTo(image.toByteArray());
    }

    @Test
    void aTruncatedOrForeignSnapshotIsRejectedAndLeavesTheStateAlone() throws IOException {
        apply(new KvCommand.Put(b("a"), b("1")));
        apply(new KvCommand.Put(b("b"), b("2")));
        ByteArrayOutputStream image = new ByteArrayOutputStream();
        kv.writeSnapshot(image);
        byte[] cut = Arrays.copyOf(image.toByteArray(), image.size() - 1);

        KvStateMachine target = new KvStateMachine();
        target.apply(1, new KvCommand.Put(b("keep"), b("me")).encode());
        assertThatThrownBy(() -> target.restoreSnapshot(new ByteArrayInputStream(cut))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> target.restoreSnapshot(new ByteArrayInputStream(b("not a snapshot at all"))))
                .isInstanceOf(IOException.class).hasMessageContaining("not a kvstore snapshot");
        assertThat(get(target, "keep")).contains("me");
        assertThat(target.size()).isEqualTo(1);
    }
}
