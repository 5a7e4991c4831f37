package io.raftkit.storage;

import io.raftkit.core.HardState;
import io.raftkit.storage.fs.FileSystem;
import io.raftkit.storage.fs.StorageFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The hard state, kept in two checksummed 4 KiB slots written alternately (FORMAT.md, "Hard state").
 * A save rewrites only the older slot and forces the file once, so a torn save leaves the other slot,
 * the previous value, intact; no rename or directory sync is needed after the file exists.
 */
final class HardStateFile implements AutoCloseable {

    static final String NAME = "hardstate";
    static final int SLOT_BYTES = 4096;
    static final long MAGIC = 0x524B484152445354L; // "RKHARDST"
    static final int VERSION = 1;
    static final int HEADER_BYTES = 40;
    static final int MAX_VOTED_FOR_BYTES = SLOT_BYTES - HEADER_BYTES;
    private static final int NULL_VOTE = 0xFFFF;

    private final Path path;
    private final StorageFile file;
    private final boolean durable;
    private final ByteBuffer slot = ByteBuffer.allocate(SLOT_BYTES);
    private final CRC32C crc = new CRC32C();
    private long sequence;
    private HardState current = HardState.EMPTY;

    private HardStateFile(Path path, StorageFile file, boolean durable) {
        this.path = path;
        this.file = file;
        this.durable = durable;
    }

    /** Opens (creating if missing) the hard-state file in {@code dir} and reads the latest value. */
    static HardStateFile open(FileSystem fs, Path dir, boolean durable) throws IOException {
        Path path = dir.resolve(NAME);
        boolean existed = fs.list(dir).contains(path);
        StorageFile f = fs.open(path, true);
        HardStateFile h = new HardStateFile(path, f, durable);
        if (!existed && durable) {
            fs.syncDirectory(dir);
        }
        h.load();
        return h;
    }

    HardState current() {
        return current;
    }

    /** Rejects a state that does not fit a slot, before it is queued. */
    static void check(HardState state) {
        if (state.votedFor() != null && state.votedFor().getBytes(StandardCharsets.UTF_8).length > MAX_VOTED_FOR_BYTES) {
            throw new IllegalArgumentException("votedFor is longer than " + MAX_VOTED_FOR_BYTES + " UTF-8 bytes");
        }
    }

    /** Writes {@code state} over the older slot and forces it (under the durable policy). */
    void write(HardState state) throws IOException {
        long seq = sequence + 1;
        encode(seq, state);
        long at = (seq & 1) * SLOT_BYTES;
        try {
            file.writeFully(slot, at);
            if (durable) {
                file.force();
            }
        } catch (IOException e) {
            throw new IOException("saving hard state to " + path + " failed at byte " + at + ": " + e, e);
        }
        sequence = seq;
        current = state;
    }

    private void encode(long seq, HardState state) {
        slot.clear();
        byte[] vote = state.votedFor() == null ? new byte[0] : state.votedFor().getBytes(StandardCharsets.UTF_8);
        slot.putLong(MAGIC).putShort((short) VERSION)
                .putShort((short) (state.votedFor() == null ? NULL_VOTE : vote.length)).putInt(0)
                .putLong(seq).putLong(state.term()).putLong(state.commit()).put(vote);
        while (slot.hasRemaining()) {
            slot.put((byte) 0);
        }
        crc.reset();
        crc.update(slot.array(), 0, 12);
        crc.update(slot.array(), 16, HEADER_BYTES - 16 + vote.length);
        slot.putInt(12, (int) crc.getValue());
        slot.flip();
    }

    private void load() throws IOException {
        long size = file.size();
        Slot[] slots = new Slot[2];
        for (int i = 0; i < 2; i++) {
            slots[i] = readSlot(i, size);
        }
        Slot best = null;
        for (Slot s : slots) {
            if (s.state != null && (best == null || s.sequence > best.sequence)) {
                best = s;
            }
        }
        if (best == null) {
            if (!slots[0].blank && !slots[1].blank) {
                throw new CorruptLogException(path, 0, "neither hard-state slot checks out: " + slots[0].problem
                        + "; " + slots[1].problem);
            }
            // At most one slot was ever written and that write was torn: it was never acknowledged.
            return;
        }
        sequence = best.sequence;
        current = best.state;
    }

    private Slot readSlot(int index, long fileSize) throws IOException {
        long at = (long) index * SLOT_BYTES;
        if (fileSize <= at) {
            return new Slot(true, 0, null, "absent");
        }
        ByteBuffer b = ByteBuffer.allocate((int) Math.min(SLOT_BYTES, fileSize - at));
        file.readFully(b, at);
        byte[] a = b.array();
        boolean blank = true;
        for (byte x : a) {
            blank &= x == 0;
        }
        if (blank) {
            return new Slot(true, 0, null, "never written");
        }
        if (a.length < SLOT_BYTES) {
            return new Slot(false, 0, null, "slot " + index + " cut short");
        }
        if (b.getLong(0) != MAGIC) {
            return new Slot(false, 0, null, "slot " + index + " has a bad magic");
        }
        int version = Short.toUnsignedInt(b.getShort(8));
        if (version != VERSION) {
            throw new CorruptLogException(path, at + 8, "unknown hard-state format version " + version);
        }
        int voteLen = Short.toUnsignedInt(b.getShort(10));
        int len = voteLen == NULL_VOTE ? 0 : voteLen;
        if (len > MAX_VOTED_FOR_BYTES) {
            return new Slot(false, 0, null, "slot " + index + " has a bad votedFor length");
        }
        crc.reset();
        crc.update(a, 0, 12);
        crc.update(a, 16, HEADER_BYTES - 16 + len);
        if ((int) crc.getValue() != b.getInt(12)) {
            return new Slot(false, 0, null, "slot " + index + " checksum mismatch");
        }
        String vote = voteLen == NULL_VOTE ? null : new String(a, HEADER_BYTES, len, StandardCharsets.UTF_8);
        return new Slot(false, b.getLong(16), new HardState(b.getLong(24), vote, b.getLong(32)), null);
    }

    @Override
    public void close() throws IOException {
        file.close();
    }

    private record Slot(boolean blank, long sequence, HardState state, String problem) {}
}
