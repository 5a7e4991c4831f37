package io.raftkit.core.message;

import io.raftkit.core.SnapshotMeta;
import java.util.Arrays;

/**
 * One chunk of a snapshot streamed to a follower whose next entry the leader no longer holds. Chunks are
 * sent in order; {@code offset} is the chunk's position in the image and {@code done} marks the last
 * chunk. {@code leader} is the leader of {@code term}, on whose behalf the chunk is sent: the sender
 * itself, or the leader that asked the sender, a follower, to donate its snapshot
 * ({@link DelegateSnapshot}). Only a chunk from the leader itself counts as hearing from the leader.
 */
public record InstallSnapshot(String from, String to, long term, String leader, SnapshotMeta meta, long offset,
                              byte[] data, boolean done) implements Message {

    public InstallSnapshot {
        Messages.check(from, to, term);
        java.util.Objects.requireNonNull(leader, "leader");
        Messages.nonNegative("offset", offset);
        java.util.Objects.requireNonNull(meta, "meta");
        java.util.Objects.requireNonNull(data, "data");
    }

    /** Whether the leader sends this chunk itself (not a donor). */
    public boolean fromLeader() {
        return from.equals(leader);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InstallSnapshot s && s.from.equals(from) && s.to.equals(to) && s.term == term
                && s.leader.equals(leader) && s.meta.equals(meta) && s.offset == offset && Arrays.equals(s.data, data)
                && s.done == done;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(from, to, term, leader, meta, offset, done) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "InstallSnapshot[from=" + from + ", to=" + to + ", term=" + term + ", leader=" + leader
                + ", meta=" + meta + ", offset=" + offset + ", bytes=" + data.length + ", done=" + done + "]";
    }
}
