package io.raftkit.core.message;

import java.util.Objects;

/**
 * The leader asks a follower (the donor) to send {@code target} a snapshot at index {@code minIndex} or
 * later, sparing the leader's disk and network. The leader decides that {@code target} needs a snapshot
 * and from which index on (its own log starts after {@code minIndex}); the donor only streams one it
 * already holds, as {@link InstallSnapshot} chunks on the leader's behalf, and reports the outcome with
 * {@link DelegateSnapshotResponse}s. The leader repeats the request every election timeout while the
 * transfer lasts; a donor already sending carries on and says so, one that restarted and forgot it starts
 * again.
 */
public record DelegateSnapshot(String from, String to, long term, String target, long minIndex) implements Message {

    public DelegateSnapshot {
        Messages.check(from, to, term);
        Objects.requireNonNull(target, "target");
        Messages.nonNegative("minIndex", minIndex);
    }
}
