package io.raftkit.node;

import io.raftkit.core.EntryType;
import java.nio.ByteBuffer;

/**
 * What a {@link EntryType#SESSION} entry carries, and its encoding. Every record starts with its kind
 * and the wall-clock time of the node that wrote it: the session table's notion of time is the largest
 * such stamp in the log so far, so all nodes expire sessions at the same entry.
 *
 * <pre>
 * open:    kind=1 (1 byte) | stampMillis (8) | timeoutMillis (8) | maxSessions (4) | maxResponseBytes (4)
 * command: kind=2 (1 byte) | stampMillis (8) | sessionId (8) | sequence (8) | ackedBelow (8) | command...
 * close:   kind=3 (1 byte) | stampMillis (8) | sessionId (8)
 * </pre>
 *
 * The limits travel in the open record rather than coming from each node's options, so that nodes
 * configured differently still decide the same.
 */
sealed interface SessionRecord {

    byte OPEN = 1;
    byte COMMAND = 2;
    byte CLOSE = 3;

    long stampMillis();

    /** Opens a session; its id is the index of this entry. */
    record Open(long stampMillis, long timeoutMillis, int maxSessions, int maxResponseBytes) implements SessionRecord {
        byte[] encode() {
            return ByteBuffer.allocate(25).put(OPEN).putLong(stampMillis).putLong(timeoutMillis)
                    .putInt(maxSessions).putInt(maxResponseBytes).array();
        }
    }

    /**
     * A command of a session. {@code ackedBelow}: the client has the answers to every sequence number below
     * it, so the table may forget them.
     */
    record Command(long stampMillis, long sessionId, long sequence, long ackedBelow, byte[] command)
            implements SessionRecord {
        static final int HEADER = 33;

        /** Written into one array, without a buffer object: one of these goes with every session command. */
        byte[] encode() {
            byte[] out = new byte[HEADER + command.length];
            out[0] = COMMAND;
            putLong(out, 1, stampMillis);
            putLong(out, 9, sessionId);
            putLong(out, 17, sequence);
            putLong(out, 25, ackedBelow);
            System.arraycopy(command, 0, out, HEADER, command.length);
            return out;
        }

        /** A copy of an encoded command record with a new stamp and acknowledgement: the same command resent. */
        static byte[] restamp(byte[] encoded, long stampMillis, long ackedBelow) {
            byte[] copy = encoded.clone();
            putLong(copy, 1, stampMillis);
            putLong(copy, 25, ackedBelow);
            return copy;
        }
    }

    /** Ends a session and drops its saved answers. */
    record Close(long stampMillis, long sessionId) implements SessionRecord {
        byte[] encode() {
            return ByteBuffer.allocate(17).put(CLOSE).putLong(stampMillis).putLong(sessionId).array();
        }
    }

    /**
     * Decodes a session entry's payload.
     *
     * @throws IllegalArgumentException naming what is wrong, for a payload no RaftKit node writes
     */
    static SessionRecord decode(long index, byte[] data) {
        if (data.length < 9) {
            throw new IllegalArgumentException("session entry " + index + " is " + data.length + " bytes, too short");
        }
        byte kind = data[0];
        long stamp = getLong(data, 1);
        switch (kind) {
            case OPEN -> {
                requireLength(index, data, 25, "open");
                ByteBuffer b = ByteBuffer.wrap(data, 17, 8);
                return new Open(stamp, getLong(data, 9), b.getInt(), b.getInt());
            }
            case COMMAND -> {
                if (data.length < Command.HEADER) {
                    throw new IllegalArgumentException("session command entry " + index + " is " + data.length
                            + " bytes, shorter than its " + Command.HEADER + "-byte header");
                }
                return new Command(stamp, getLong(data, 9), getLong(data, 17), getLong(data, 25),
                        java.util.Arrays.copyOfRange(data, Command.HEADER, data.length));
            }
            case CLOSE -> {
                requireLength(index, data, 17, "close");
                return new Close(stamp, getLong(data, 9));
            }
            default -> throw new IllegalArgumentException("session entry " + index + " has unknown kind " + kind);
        }
    }

    private static void putLong(byte[] a, int at, long v) {
        for (int i = 7; i >= 0; i--) {
            a[at + i] = (byte) v;
            v >>>= 8;
        }
    }

    private static long getLong(byte[] a, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (a[at + i] & 0xFF);
        }
        return v;
    }

    private static void requireLength(long index, byte[] data, int length, String kind) {
        if (data.length != length) {
            throw new IllegalArgumentException("session " + kind + " entry " + index + " is " + data.length
                    + " bytes, not " + length);
        }
    }
}
