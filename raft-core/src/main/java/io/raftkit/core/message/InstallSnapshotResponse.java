package io.raftkit.core.message;

/**
 * A follower's answer to an {@link InstallSnapshot} chunk. On success, {@code nextOffset} is the offset
 * of the next chunk it expects (the image size once the last chunk is durable and restored); on failure
 * the leader restarts the transfer.
 */
public record InstallSnapshotResponse(String from, String to, long term, long snapshotIndex, long nextOffset,
                                      boolean success) implements Message {

    public InstallSnapshotResponse {
        Messages.check(from, to, term);
        Messages.nonNegative("snapshotIndex", snapshotIndex);
        Messages.nonNegative("nextOffset", nextOffset);
    }
}
