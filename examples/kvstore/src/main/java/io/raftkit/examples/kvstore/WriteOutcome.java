package io.raftkit.examples.kvstore;

/**
 * What applying a {@link KvCommand} did, as the one-byte result the state machine returns (and every
 * node computes identically).
 */
public enum WriteOutcome {
    /** The command took effect (a delete of an absent key counts). */
    APPLIED((byte) 0),
    /** A compare-and-set found a different current value and changed nothing. */
    CAS_MISMATCH((byte) 1),
    /** The bytes were not a command; nothing changed. Only a foreign client could submit such bytes. */
    MALFORMED((byte) 2);

    private final byte code;

    WriteOutcome(byte code) {
        this.code = code;
    }

    byte[] encode() {
        return new byte[] {code};
    }

    /** @throws IllegalArgumentException when {@code result} is not one of the codes */
    static WriteOutcome decode(byte[] result) {
        if (result.length == 1) {
            for (WriteOutcome o : values()) {
                if (o.code == result[0]) {
                    return o;
                }
            }
        }
        throw new IllegalArgumentException("not a write outcome: " + result.length + " bytes");
    }
}
