package io.raftkit.testkit.sim;

import io.raftkit.core.StateMachine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A simulated node's {@link StateMachine}: the key-value store, applied by the runtime's own applier.
 * A command's result says whether it changed the value (a CAS can fail) and which operation it was (so
 * a client can tell it got the result of its own entry); a query is a key and its
 * answer the value, with absence told apart from the empty string. It reports every applied operation
 * to the workload, which needs to know where each write took effect.
 */
final class SimStateMachine implements StateMachine {

    private static final byte ABSENT = 0;
    private static final byte PRESENT = 1;

    private final String node;
    private final Workload workload;
    private KvStateMachine kv = new KvStateMachine();

    /** {@code workload} null: a replay that reports to no one. */
    SimStateMachine(String node, Workload workload) {
        this.node = node;
        this.workload = workload;
    }

    @Override
    public byte[] apply(long index, byte[] command) {
        KvCommand c = KvCommand.decode(command);
        boolean changed = kv.apply(c);
        if (workload != null) {
            workload.applied(c.opId(), node, index);
        }
        return ByteBuffer.allocate(9).put((byte) (changed ? 1 : 0)).putLong(c.opId()).array();
    }

    /** Whether the write a result answers changed the value. */
    static boolean changed(byte[] result) {
        return result[0] == 1;
    }

    /** The operation whose entry produced a result. */
    static long opIdOf(byte[] result) {
        return ByteBuffer.wrap(result, 1, 8).getLong();
    }

    @Override
    public byte[] query(byte[] query) {
        String value = kv.get(new String(query, StandardCharsets.UTF_8));
        if (value == null) {
            return new byte[] {ABSENT};
        }
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[v.length + 1];
        out[0] = PRESENT;
        System.arraycopy(v, 0, out, 1, v.length);
        return out;
    }

    /** The value a {@link #query} answer carries, or null for an absent key. */
    static String valueOf(byte[] answer) {
        return answer[0] == ABSENT ? null : new String(answer, 1, answer.length - 1, StandardCharsets.UTF_8);
    }

    @Override
    public void writeSnapshot(OutputStream out) throws IOException {
        out.write(kv.image());
    }

    @Override
    public void restoreSnapshot(InputStream in) throws IOException {
        ByteArrayOutputStream image = new ByteArrayOutputStream();
        in.transferTo(image);
        kv = KvStateMachine.fromImage(image.toByteArray());
    }

    String get(String key) {
        return kv.get(key);
    }

    byte[] image() {
        return kv.image();
    }
}
