package io.raftkit.node;

import io.raftkit.core.RaftConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * Runtime settings of a {@link RaftNode}. Build with {@link #builder()}; {@code build()} rejects
 * inconsistent values naming the setting.
 *
 * @param raft the core's settings (election and heartbeat ticks, windows, pre-vote, check-quorum)
 * @param tickInterval wall-clock length of one core tick; with the defaults (10-tick election timeout)
 *     100 ms gives elections after 1-2 s of silence and heartbeats every 100 ms
 * @param requestTimeout how long {@code submit} and {@code query} wait before failing
 * @param maxPendingRequests most requests (writes and reads) pending on this node; beyond it new ones
 *     fail at once with {@link RequestRejectedException}
 * @param maxCommandBytes largest command or query accepted
 * @param maxPendingBytes most bytes of commands and queries pending on this node (the payloads the node
 *     holds until their requests end); beyond it new requests fail at once with
 *     {@link RequestRejectedException.Reason#OVERLOADED}
 * @param maxApplyQueueBytes most bytes of committed entries handed to the apply thread and not yet
 *     applied; beyond it the node hands no more until the state machine catches up, so a slow state
 *     machine costs bounded memory (the entries wait in the log)
 * @param maxInboundBytesPerPeer most bytes of messages from one peer waiting for the event loop; past it
 *     the node drops that peer's messages, as a lossy network would (Raft retries), so a peer that floods
 *     it costs bounded memory and does not crowd out the others
 * @param snapshotEveryEntries take a snapshot at every applied index that is a multiple of this, so that
 *     every node's snapshots line up (a caught-up follower then holds the leader's latest and can send it
 *     to a lagging node: {@code RaftConfig.snapshotsFromFollowers}); {@link #NO_SNAPSHOTS} never takes
 *     one (the log then grows without bound, and a follower that is far behind catches up from the log
 *     alone)
 * @param snapshotChunkBytes size of the chunks a snapshot is sent to a follower in
 * @param closeTransferTimeout how long {@link RaftNode#close()} on a leader waits for leadership to move
 *     to another voter before it stops; {@link Duration#ZERO} stops at once (the others then elect a
 *     leader after an election timeout)
 * @param diskStallTimeout how long a log or vote write may stay outstanding before the node counts its
 *     disk as stalled: a leader then steps down and the node stands for no election, and its reads fail
 *     at once, until the disk answers; {@link Duration#ZERO} never counts it stalled
 * @param sessions settings of client sessions ({@link RaftNode#openSession()})
 * @param applyOnEventLoop apply committed entries and answer reads on the node's event loop while the
 *     apply thread has nothing queued and the state machine is fast, instead of handing each batch to the
 *     apply thread (two thread hand-offs fewer per write: about a fifth of a write's CPU at 128 writes in
 *     flight); futures then complete on the event loop. Snapshots, restores and listeners stay on the
 *     apply thread, and a node whose applying on the loop took over a tenth of a tick three times within
 *     about a tick hands it to the apply thread for good (logged). Off: the apply thread applies everything
 */
public record NodeOptions(RaftConfig raft, Duration tickInterval, Duration requestTimeout, int maxPendingRequests,
                          int maxCommandBytes, long maxPendingBytes, long maxApplyQueueBytes,
                          long maxInboundBytesPerPeer, long snapshotEveryEntries, int snapshotChunkBytes,
                          Duration closeTransferTimeout, Duration diskStallTimeout, SessionOptions sessions,
                          boolean applyOnEventLoop) {

    public NodeOptions {
        Objects.requireNonNull(raft, "raft");
        Objects.requireNonNull(sessions, "sessions");
        require(tickInterval != null && !tickInterval.isNegative() && !tickInterval.isZero(),
                "tickInterval must be positive, got " + tickInterval);
        require(requestTimeout != null && requestTimeout.compareTo(tickInterval) > 0,
                "requestTimeout must be longer than tickInterval, got " + requestTimeout);
        require(maxPendingRequests >= 1, "maxPendingRequests must be >= 1, got " + maxPendingRequests);
        require(maxCommandBytes >= 1 && maxCommandBytes <= raft.maxAppendBytes(),
                "maxCommandBytes must be in [1, raft.maxAppendBytes=" + raft.maxAppendBytes() + "], got "
                        + maxCommandBytes);
        require(maxPendingBytes >= maxCommandBytes, "maxPendingBytes must be >= maxCommandBytes (" + maxCommandBytes
                + "), got " + maxPendingBytes);
        require(maxApplyQueueBytes >= 1, "maxApplyQueueBytes must be >= 1, got " + maxApplyQueueBytes);
        require(maxInboundBytesPerPeer >= 1, "maxInboundBytesPerPeer must be >= 1, got " + maxInboundBytesPerPeer);
        require(snapshotEveryEntries >= 1, "snapshotEveryEntries must be >= 1, got " + snapshotEveryEntries);
        require(snapshotChunkBytes >= 1024, "snapshotChunkBytes must be >= 1024, got " + snapshotChunkBytes);
        require(closeTransferTimeout != null && !closeTransferTimeout.isNegative(),
                "closeTransferTimeout must be zero (off) or positive, got " + closeTransferTimeout);
        require(diskStallTimeout != null && !diskStallTimeout.isNegative()
                        && (diskStallTimeout.isZero() || diskStallTimeout.compareTo(tickInterval) > 0),
                "diskStallTimeout must be zero (off) or longer than tickInterval, got " + diskStallTimeout);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("invalid NodeOptions: " + message);
        }
    }

    /** {@code snapshotEveryEntries} that turns automatic snapshots off. */
    public static final long NO_SNAPSHOTS = Long.MAX_VALUE;

    public static NodeOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link NodeOptions}; every setter has a default. */
    public static final class Builder {
        private RaftConfig raft = RaftConfig.defaults();
        private Duration tickInterval = Duration.ofMillis(100);
        private Duration requestTimeout = Duration.ofSeconds(10);
        private int maxPendingRequests = 20_000;
        private int maxCommandBytes = 1 << 20;
        private long maxPendingBytes = 64L << 20;
        private long maxApplyQueueBytes = 64L << 20;
        private long maxInboundBytesPerPeer = 64L << 20;
        private long snapshotEveryEntries = 100_000;
        private int snapshotChunkBytes = 1 << 20;
        private Duration closeTransferTimeout = Duration.ofSeconds(2);
        private Duration diskStallTimeout = Duration.ofSeconds(5);
        private SessionOptions sessions = SessionOptions.defaults();
        private boolean applyOnEventLoop = true;

        private Builder() {}

        public Builder raft(RaftConfig v) {
            raft = v;
            return this;
        }

        public Builder tickInterval(Duration v) {
            tickInterval = v;
            return this;
        }

        public Builder requestTimeout(Duration v) {
            requestTimeout = v;
            return this;
        }

        public Builder maxPendingRequests(int v) {
            maxPendingRequests = v;
            return this;
        }

        public Builder maxCommandBytes(int v) {
            maxCommandBytes = v;
            return this;
        }

        /** Bytes of commands and queries pending on this node before new ones are refused (default 64 MiB). */
        public Builder maxPendingBytes(long v) {
            maxPendingBytes = v;
            return this;
        }

        /**
         * Bytes of messages from one peer waiting for the event loop before that peer's messages are dropped
         * (default 64 MiB).
         */
        public Builder maxInboundBytesPerPeer(long v) {
            maxInboundBytesPerPeer = v;
            return this;
        }

        /** Bytes of committed entries queued for the state machine before the node waits for it (default 64 MiB). */
        public Builder maxApplyQueueBytes(long v) {
            maxApplyQueueBytes = v;
            return this;
        }

        /**
         * A snapshot at every applied index that is a multiple of this (default 100,000), so that every node's
         * snapshots line up; {@link #NO_SNAPSHOTS} for none.
         */
        public Builder snapshotEveryEntries(long v) {
            snapshotEveryEntries = v;
            return this;
        }

        public Builder snapshotChunkBytes(int v) {
            snapshotChunkBytes = v;
            return this;
        }

        /**
         * How long {@code close()} on a leader waits for leadership to move first (default 2 s);
         * {@link Duration#ZERO} turns the hand-over off.
         */
        public Builder closeTransferTimeout(Duration v) {
            closeTransferTimeout = v;
            return this;
        }

        /**
         * How long a write may stay outstanding before the disk counts as stalled (default 5 s, a few
         * election timeouts at the default ticks); {@link Duration#ZERO} turns the check off.
         */
        public Builder diskStallTimeout(Duration v) {
            diskStallTimeout = v;
            return this;
        }

        /** Settings of client sessions (default {@link SessionOptions#defaults()}). */
        public Builder sessions(SessionOptions v) {
            sessions = v;
            return this;
        }

        /**
         * Whether the event loop applies committed entries itself while the state machine is fast (default
         * true; see {@link NodeOptions#applyOnEventLoop}). Turn it off for a state machine whose
         * {@code apply} may block, or when the callbacks of the node's futures must never run on its
         * event loop (a {@link RaftNode.Builder#completionExecutor} moves only the callbacks).
         */
        public Builder applyOnEventLoop(boolean v) {
            applyOnEventLoop = v;
            return this;
        }

        public NodeOptions build() {
            return new NodeOptions(raft, tickInterval, requestTimeout, maxPendingRequests, maxCommandBytes,
                    maxPendingBytes, maxApplyQueueBytes, maxInboundBytesPerPeer, snapshotEveryEntries, snapshotChunkBytes, closeTransferTimeout,
                    diskStallTimeout, sessions, applyOnEventLoop);
        }
    }
}
