package io.raftkit.examples.kvstore;

import io.raftkit.core.StateMachine;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The replicated map from byte-string keys to byte-string values.
 *
 * <p>Applies {@link KvCommand}s and answers {@link KvQuery} GETs. Like every {@link StateMachine} it
 * is called on one thread only and is deterministic: a command's result depends only on the map and
 * the command, so every node returns the same {@link WriteOutcome}. A malformed command is answered
 * with {@link WriteOutcome#MALFORMED} rather than an exception, which would stop the node (and every
 * other node applying the same entry).
 *
 * <p>Snapshot format (the snapshot store adds its own checksum around it):
 * <pre>
 *   [int magic "KVS1"][long entryCount] then per entry, in key order:
 *   [int keyLength][key][int valueLength][value]
 * </pre>
 */
public final class KvStateMachine implements StateMachine {

    private static final int SNAPSHOT_MAGIC = 0x4B565331; // "KVS1"

    // Sorted by unsigned byte order so a snapshot of the same map is the same bytes on every node.
    private final NavigableMap<byte[], byte[]> map = new TreeMap<>(Arrays::compareUnsigned);

    @Override
    public byte[] apply(long index, byte[] command) {
        KvCommand decoded;
        try {
            decoded = KvCommand.decode(command);
        } catch (IllegalArgumentException e) {
            return WriteOutcome.MALFORMED.encode();
        }
        return apply(decoded).encode();
    }

    private WriteOutcome apply(KvCommand command) {
        if (command instanceof KvCommand.Put put) {
            map.put(put.key(), put.value());
            return WriteOutcome.APPLIED;
        }
        if (command instanceof KvCommand.Delete delete) {
            map.remove(delete.key());
            return WriteOutcome.APPLIED;
        }
        KvCommand.CompareAndSet cas = (KvCommand.CompareAndSet) command;
        byte[] current = map.get(cas.key());
        boolean matches = current == null ? cas.expect().length == 0 : Arrays.equals(current, cas.expect());
        if (!matches) {
            return WriteOutcome.CAS_MISMATCH;
        }
        map.put(cas.key(), cas.value());
        return WriteOutcome.APPLIED;
    }

    @Override
    public byte[] query(byte[] query) {
        return KvQuery.answer(map.get(query));
    }

    @Override
    public void writeSnapshot(OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out, 64 * 1024));
        data.writeInt(SNAPSHOT_MAGIC);
        data.writeLong(map.size());
        for (Map.Entry<byte[], byte[]> e : map.entrySet()) {
            data.writeInt(e.getKey().length);
            data.write(e.getKey());
            data.writeInt(e.getValue().length);
            data.write(e.getValue());
        }
        data.flush(); // not close(): the caller owns the stream
    }

    @Override
    public void restoreSnapshot(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(new BufferedInputStream(in, 64 * 1024));
        int magic = data.readInt();
        if (magic != SNAPSHOT_MAGIC) {
            throw new IOException("not a kvstore snapshot (magic " + Integer.toHexString(magic) + ")");
        }
        long count = data.readLong();
        if (count < 0) {
            throw new IOException("corrupt kvstore snapshot: negative entry count " + count);
        }
        NavigableMap<byte[], byte[]> restored = new TreeMap<>(Arrays::compareUnsigned);
        for (long i = 0; i < count; i++) {
            byte[] key = readBytes(data, "key");
            restored.put(key, readBytes(data, "value"));
        }
        map.clear(); // only once the whole image was read: a bad image leaves the state as it was
        map.putAll(restored);
    }

    private static byte[] readBytes(DataInputStream data, String what) throws IOException {
        int length = data.readInt();
        if (length < 0) {
            throw new IOException("corrupt kvstore snapshot: negative " + what + " length " + length);
        }
        // readNBytes grows its buffer as data arrives, so a corrupt length cannot allocate gigabytes up front.
        byte[] bytes = data.readNBytes(length);
        if (bytes.length != length) {
            throw new IOException("kvstore snapshot ends inside a " + what);
        }
        return bytes;
    }

    /** The number of keys; for tests. Call only on the apply thread or after the node is closed. */
    int size() {
        return map.size();
    }
}
