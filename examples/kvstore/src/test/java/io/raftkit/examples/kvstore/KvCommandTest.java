package io.raftkit.examples.kvstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KvCommandTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyCommandSurvivesARoundTrip() {
        KvCommand.Put put = (KvCommand.Put) KvCommand.decode(new KvCommand.Put(b("key"), b("value")).encode());
        assertThat(put.key()).isEqualTo(b("key"));
        assertThat(put.value()).isEqualTo(b("value"));

        KvCommand.Delete delete = (KvCommand.Delete) KvCommand.decode(new KvCommand.Delete(b("key")).encode());
        assertThat(delete.key()).isEqualTo(b("key"));

        KvCommand.CompareAndSet cas = (KvCommand.CompareAndSet) KvCommand.decode(
                new KvCommand.CompareAndSet(b("key"), b(""), b("new")).encode());
        assertThat(cas.key()).isEqualTo(b("key"));
        assertThat(cas.expect()).isEmpty();
        assertThat(cas.value()).isEqualTo(b("new"));
    }

    @Test
    void theEncodingIsCompact() {
        // opcode + 1-byte key length + key + value: three bytes of overhead at most for short keys.
        assertThat(new KvCommand.Put(b("k"), b("v")).encode()).hasSize(4);
        assertThat(new KvCommand.Delete(b("k")).encode()).hasSize(2);
        assertThat(new KvCommand.CompareAndSet(b("k"), b("o"), b("n")).encode()).hasSize(6);
    }

    @Test
    void longKeysUseMultiByteLengths() {
        byte[] key = new byte[300];
        key[299] = 7;
        KvCommand.Put put = (KvCommand.Put) KvCommand.decode(new KvCommand.Put(key, b("v")).encode());
        assertThat(put.key()).isEqualTo(key);
        assertThat(put.value()).isEqualTo(b("v"));
    }

    @Test
    void malformedBytesAreRejectedWithAReason() {
        assertThatThrownBy(() -> KvCommand.decode(new byte[0])).hasMessageContaining("empty");
        assertThatThrownBy(() -> KvCommand.decode(new byte[] {42})).hasMessageContaining("opcode");
        assertThatThrownBy(() -> KvCommand.decode(new byte[] {KvCommand.PUT, 5, 'a'})).hasMessageContaining("past the end");
        assertThatThrownBy(() -> KvCommand.decode(new byte[] {KvCommand.COMPARE_AND_SET, (byte) 0x80}))
                .hasMessageContaining("truncated varint");
    }
}
