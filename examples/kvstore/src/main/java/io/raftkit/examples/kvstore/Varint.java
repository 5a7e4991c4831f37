package io.raftkit.examples.kvstore;

import java.nio.ByteBuffer;

/** Unsigned LEB128 encoding of non-negative ints (7 bits a byte), as in protobuf: short lengths cost one byte. */
final class Varint {

    private Varint() {}

    static int size(int value) {
        requireNonNegative(value);
        int size = 1;
        while ((value >>>= 7) != 0) {
            size++;
        }
        return size;
    }

    static void write(ByteBuffer b, int value) {
        requireNonNegative(value);
        while ((value & ~0x7F) != 0) {
            b.put((byte) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        b.put((byte) value);
    }

    /** @throws IllegalArgumentException on a truncated, overlong or negative value */
    static int read(ByteBuffer b) {
        int value = 0;
        for (int shift = 0; shift < 32; shift += 7) {
            if (!b.hasRemaining()) {
                throw new IllegalArgumentException("truncated varint");
            }
            byte next = b.get();
            value |= (next & 0x7F) << shift;
            if ((next & 0x80) == 0) {
                if (value < 0) {
                    throw new IllegalArgumentException("varint out of range");
                }
                return value;
            }
        }
        throw new IllegalArgumentException("varint longer than 5 bytes");
    }

    private static void requireNonNegative(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("negative length " + value);
        }
    }
}
