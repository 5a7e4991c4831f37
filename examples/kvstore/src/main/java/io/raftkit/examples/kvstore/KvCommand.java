package io.raftkit.examples.kvstore;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A write to the key-value map, as it travels through the Raft log.
 *
 * <p>Encoding (compact, since every command is stored on every node's log):
 * <pre>
 *   PUT     [0x01][varint keyLength][key][value ...................... to the end]
 *   DELETE  [0x02][key ................................................ to the end]
 *   CAS     [0x03][varint keyLength][key][varint expectLength][expect][new value .. to the end]
 * </pre>
 * The last field needs no length: it runs to the end of the command.
 */
public sealed interface KvCommand {

    byte PUT = 0x01;
    byte DELETE = 0x02;
    byte COMPARE_AND_SET = 0x03;

    /** The encoded command, ready for {@code RaftNode.submit}. */
    byte[] encode();

    /** Sets {@code key} to {@code value}. */
    record Put(byte[] key, byte[] value) implements KvCommand {
        public Put {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public byte[] encode() {
            ByteBuffer b = ByteBuffer.allocate(1 + Varint.size(key.length) + key.length + value.length);
            b.put(PUT);
            Varint.write(b, key.length);
            return b.put(key).put(value).array();
        }
    }

    /** Removes {@code key}; removing an absent key is not an error. */
    record Delete(byte[] key) implements KvCommand {
        public Delete {
            Objects.requireNonNull(key, "key");
        }

        @Override
        public byte[] encode() {
            return ByteBuffer.allocate(1 + key.length).put(DELETE).put(key).array();
        }
    }

    /**
     * Sets {@code key} to {@code value} only if its current value equals {@code expect}; an absent key
     * matches only an empty {@code expect}.
     */
    record CompareAndSet(byte[] key, byte[] expect, byte[] value) implements KvCommand {
        public CompareAndSet {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(expect, "expect");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public byte[] encode() {
            ByteBuffer b = ByteBuffer.allocate(1 + Varint.size(key.length) + key.length
                    + Varint.size(expect.length) + expect.length + value.length);
            b.put(COMPARE_AND_SET);
            Varint.write(b, key.length);
            b.put(key);
            Varint.write(b, expect.length);
            return b.put(expect).put(value).array();
        }
    }

    /**
     * Decodes a command written by {@link #encode()}.
     *
     * @throws IllegalArgumentException when the bytes are not a command (unknown opcode, bad length)
     */
    static KvCommand decode(byte[] command) {
        if (command.length == 0) {
            throw new IllegalArgumentException("empty command");
        }
        ByteBuffer b = ByteBuffer.wrap(command, 1, command.length - 1);
        switch (command[0]) {
            case PUT -> {
                byte[] key = lengthPrefixed(b, "key");
                return new Put(key, rest(b));
            }
            case DELETE -> {
                return new Delete(rest(b));
            }
            case COMPARE_AND_SET -> {
                byte[] key = lengthPrefixed(b, "key");
                byte[] expect = lengthPrefixed(b, "expect");
                return new CompareAndSet(key, expect, rest(b));
            }
            default -> throw new IllegalArgumentException("unknown command opcode " + command[0]);
        }
    }

    private static byte[] lengthPrefixed(ByteBuffer b, String what) {
        int length = Varint.read(b);
        if (length > b.remaining()) {
            throw new IllegalArgumentException(what + " length " + length + " runs past the end of the command");
        }
        byte[] bytes = new byte[length];
        b.get(bytes);
        return bytes;
    }

    private static byte[] rest(ByteBuffer b) {
        return Arrays.copyOfRange(b.array(), b.position(), b.limit());
    }
}
