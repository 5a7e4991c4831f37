package io.raftkit.it;

import io.raftkit.core.StateMachine;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/** "key=value" commands into a sorted map; queries read a key. */
final class MapStateMachine implements StateMachine {

    private final Map<String, String> data = new TreeMap<>();

    static byte[] put(String key, String value) {
        return (key + "=" + value).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public synchronized byte[] apply(long index, byte[] command) {
        String s = new String(command, StandardCharsets.UTF_8);
        int eq = s.indexOf('=');
        String prev = data.put(s.substring(0, eq), s.substring(eq + 1));
        return (prev == null ? "" : prev).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public synchronized byte[] query(byte[] query) {
        return data.getOrDefault(new String(query, StandardCharsets.UTF_8), "").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void writeSnapshot(OutputStream out) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        d.writeInt(data.size());
        for (Map.Entry<String, String> e : data.entrySet()) {
            d.writeUTF(e.getKey());
            d.writeUTF(e.getValue());
        }
        d.flush();
    }

    @Override
    public synchronized void restoreSnapshot(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        data.clear();
        int n = d.readInt();
        for (int i = 0; i < n; i++) {
            data.put(d.readUTF(), d.readUTF());
        }
    }

    synchronized Map<String, String> copy() {
        return new TreeMap<>(data);
    }
}
