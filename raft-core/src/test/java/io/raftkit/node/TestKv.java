package io.raftkit.node;

import io.raftkit.core.StateMachine;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * A small key-value state machine for tests. Commands: {@code put k v}, {@code cas k old new},
 * {@code add k n} (not idempotent: a second apply shows); queries: {@code k}. Results are the previous
 * value ("" when absent), "ok"/"fail" for cas, the new value for add.
 */
final class TestKv implements StateMachine {

    final Map<String, String> data = new TreeMap<>();
    volatile long lastIndex;
    volatile Thread applyThread;

    static byte[] put(String k, String v) {
        return ("put " + k + " " + v).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] add(String k, long n) {
        return ("add " + k + " " + n).getBytes(StandardCharsets.UTF_8);
    }

    static String str(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Override
    public byte[] apply(long index, byte[] command) {
        applyThread = Thread.currentThread();
        if (index <= lastIndex) {
            throw new IllegalStateException("applied out of order: " + index + " after " + lastIndex);
        }
        lastIndex = index;
        String[] p = str(command).split(" ", -1);
        String out = switch (p[0]) {
            case "put" -> {
                String prev = data.put(p[1], p[2]);
                yield prev == null ? "" : prev;
            }
            case "cas" -> {
                if (data.getOrDefault(p[1], "").equals(p[2])) {
                    data.put(p[1], p[3]);
                    yield "ok";
                }
                yield "fail";
            }
            case "add" -> {
                String sum = Long.toString(Long.parseLong(data.getOrDefault(p[1], "0")) + Long.parseLong(p[2]));
                data.put(p[1], sum);
                yield sum;
            }
            default -> "unknown";
        };
        return out.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] query(byte[] query) {
        return data.getOrDefault(str(query), "").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void writeSnapshot(OutputStream out) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        d.writeLong(lastIndex);
        d.writeInt(data.size());
        for (Map.Entry<String, String> e : data.entrySet()) {
            d.writeUTF(e.getKey());
            d.writeUTF(e.getValue());
        }
        d.flush();
    }

    @Override
    public void restoreSnapshot(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        data.clear();
        lastIndex = d.readLong();
        int n = d.readInt();
        for (int i = 0; i < n; i++) {
            data.put(d.readUTF(), d.readUTF());
        }
    }

    synchronized Map<String, String> copy() {
        return new TreeMap<>(data);
    }
}
