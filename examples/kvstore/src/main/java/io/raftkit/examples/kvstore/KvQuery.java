package io.raftkit.examples.kvstore;

import java.util.Arrays;
import java.util.Optional;

/**
 * The one read the map answers, a GET of a key, and its answer's encoding.
 *
 * <pre>
 *   query   [key ....... all bytes]
 *   answer  [0x00]                   absent
 *           [0x01][value ... to end] present
 * </pre>
 */
final class KvQuery {

    private static final byte ABSENT = 0;
    private static final byte PRESENT = 1;

    private KvQuery() {}

    static byte[] get(byte[] key) {
        return key.clone();
    }

    static byte[] answer(byte[] valueOrNull) {
        if (valueOrNull == null) {
            return new byte[] {ABSENT};
        }
        byte[] answer = new byte[1 + valueOrNull.length];
        answer[0] = PRESENT;
        System.arraycopy(valueOrNull, 0, answer, 1, valueOrNull.length);
        return answer;
    }

    /** @throws IllegalArgumentException when {@code answer} was not made by {@link #answer} */
    static Optional<byte[]> value(byte[] answer) {
        if (answer.length == 1 && answer[0] == ABSENT) {
            return Optional.empty();
        }
        if (answer.length >= 1 && answer[0] == PRESENT) {
            return Optional.of(Arrays.copyOfRange(answer, 1, answer.length));
        }
        throw new IllegalArgumentException("not a GET answer: " + answer.length + " bytes");
    }
}
