package io.raftkit.core.message;

import io.raftkit.core.SnapshotMeta;
import java.util.Arrays;

/**
 * One chunk of a snapshot the leader streams to a follower whose next entry the leader no longer holds.
 * Chunks are sent in order; {@code offset} is the chunk's position in the image and {@code done} marks
 * the last chunk.
 */
public record InstallSnapshot(String from, String to, long term, SnapshotMeta meta, long offset, byte[] data,
                              boolean done) implements Message {

    public InstallSnapshot {
        Messages.check(from, to, term);
        Messages.nonNegative("offset", offset);
        java.util.Objects.requireNonNull(meta, "meta");
        java.util.Objects.requireNonNull(data, "data");
    }


    @Override
    public boolean equals(Object o) {
        return o instanceof InstallSnapshot s && s.from.equals(from) && s.to.equals(to) && s.term == term
                && s.meta.equals(meta) && s.offset == offset && Arrays.equals(s.data, data) && s.done == done;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(from, to, term, meta, offset, done) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "InstallSnapshot[from=" + from + ", to=" + to + ", term=" + term + ", meta=" + meta
                + ", offset=" + offset + ", bytes=" + data.length + ", done=" + done + "]";
    }
}
