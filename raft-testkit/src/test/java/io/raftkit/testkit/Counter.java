package io.raftkit.testkit;

import io.raftkit.core.StateMachine;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/** A counter for the testkit's tests: a command is a long to add, the result and a query's answer the value. */
public class Counter implements StateMachine {

    protected long value;

    public static byte[] add(long n) {
        return ByteBuffer.allocate(8).putLong(n).array();
    }

    public static long decode(byte[] result) {
        return ByteBuffer.wrap(result).getLong();
    }

    @Override
    public byte[] apply(long index, byte[] command) {
        value += decode(command);
        return add(value);
    }

    @Override
    public byte[] query(byte[] query) {
        return add(value);
    }

    @Override
    public void writeSnapshot(OutputStream out) throws IOException {
        new DataOutputStream(out).writeLong(value);
    }

    @Override
    public void restoreSnapshot(InputStream in) throws IOException {
        value = new DataInputStream(in).readLong();
    }

    public long value() {
        return value;
    }
}
