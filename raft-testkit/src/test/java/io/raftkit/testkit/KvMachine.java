package io.raftkit.testkit;

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
 * A small key-value state machine for the testkit's tests, with seams for planting faults: commands are
 * {@code "put k v"}, each answered with the previous value ("" when absent); a query {@code "k"} answers
 * the value ("" when absent).
 */
public class KvMachine implements StateMachine {

    protected final Map<String, String> data = new TreeMap<>();

    @Override
    public byte[] apply(long index, byte[] command) {
        String[] p = new String(command, StandardCharsets.UTF_8).split(" ");
        String previous = data.put(p[1], stored(p[2]));
        return bytes(previous == null ? "" : previous);
    }

    /** What is stored for a written value (a planted fault changes it). */
    protected String stored(String value) {
        return value;
    }

    @Override
    public byte[] query(byte[] query) {
        return bytes(data.getOrDefault(new String(query, StandardCharsets.UTF_8), ""));
    }

    @Override
    public void writeSnapshot(OutputStream out) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        d.writeInt(data.size());
        for (Map.Entry<String, String> e : data.entrySet()) {
            d.writeUTF(e.getKey());
            d.writeUTF(e.getValue());
        }
        d.flush();
    }

    @Override
    public void restoreSnapshot(InputStream in) throws IOException {
        data.clear();
        DataInputStream d = new DataInputStream(in);
        for (int n = d.readInt(); n > 0; n--) {
            data.put(d.readUTF(), d.readUTF());
        }
    }

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Planted: every stored value carries the monotonic clock at the time it was applied. */
    public static class ReadsTheClock extends KvMachine {
        @Override
        protected String stored(String value) {
            return value + "@" + System.nanoTime();
        }
    }

    /** Planted: the snapshot leaves out the key {@code k1}. */
    public static class SnapshotDropsAKey extends KvMachine {
        @Override
        public void writeSnapshot(OutputStream out) throws IOException {
            String dropped = data.remove("k1");
            super.writeSnapshot(out);
            if (dropped != null) {
                data.put("k1", dropped);
            }
        }
    }

    /** Planted: restoring merges into the current state instead of replacing it. */
    public static class RestoreMerges extends KvMachine {
        @Override
        public void restoreSnapshot(InputStream in) throws IOException {
            Map<String, String> kept = new TreeMap<>(data);
            super.restoreSnapshot(in);
            kept.forEach(data::putIfAbsent);
        }
    }

    /** Planted: a query counts itself into the state. */
    public static class QueryCounts extends KvMachine {
        @Override
        public byte[] query(byte[] query) {
            data.merge("queries", "1", (a, b) -> Integer.toString(Integer.parseInt(a) + 1));
            return super.query(query);
        }
    }
}
