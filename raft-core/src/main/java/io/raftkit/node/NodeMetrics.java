package io.raftkit.node;

import io.raftkit.core.RaftRole;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a {@link RaftNode} measures about itself, read at any time from any thread
 * ({@link RaftNode#metrics()}): counters that only grow, gauges of its state now, and latency histograms.
 * It depends on nothing; exporters (kvstore's Prometheus page, a Micrometer binder) read it. Recording
 * costs a few {@link LongAdder} increments per request.
 */
public final class NodeMetrics {

    private final RaftNode node;
    final LongAdder writes = new LongAdder();
    final LongAdder writesFailed = new LongAdder();
    final LongAdder reads = new LongAdder();
    final LongAdder readsFailed = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder leaderChanges = new LongAdder();
    final LongAdder campaigns = new LongAdder();
    final LatencyHistogram writeLatency = new LatencyHistogram();
    final LatencyHistogram readLatency = new LatencyHistogram();
    final LatencyHistogram persistLatency = new LatencyHistogram();
    private final Applier applier;

    NodeMetrics(RaftNode node, Applier applier) {
        this.node = node;
        this.applier = applier;
    }

    /** Writes ({@code submit}) that completed with the state machine's result. */
    public long writes() {
        return writes.sum();
    }

    /** Writes that failed, for any reason (refusals up front included). */
    public long writesFailed() {
        return writesFailed.sum();
    }

    /** Queries answered. */
    public long reads() {
        return reads.sum();
    }

    /** Queries that failed, for any reason (refusals up front included). */
    public long readsFailed() {
        return readsFailed.sum();
    }

    /** Requests refused up front: too large, too many pending, node closed or failed. */
    public long rejected() {
        return rejected.sum();
    }

    /** Times the leader this node knows of changed (to none included). */
    public long leaderChanges() {
        return leaderChanges.sum();
    }

    /**
     * Times this node began to stand for election: a pre-vote round and the election it leads to count
     * once; a candidate that stands again in a new term counts again.
     */
    public long campaigns() {
        return campaigns.sum();
    }

    /** Snapshots this node took of its state machine. */
    public long snapshotsTaken() {
        return applier.snapshotsTaken.sum();
    }

    /** Snapshots this node installed, sent by a leader or by a follower on its behalf. */
    public long snapshotsInstalled() {
        return applier.snapshotsInstalled.sum();
    }

    /**
     * Snapshots this node sent whole to another node: as leader, or as a follower the leader asked to send
     * its own ({@code RaftConfig.snapshotsFromFollowers}).
     */
    public long snapshotsSent() {
        return node.snapshotsSent();
    }

    /** Payload bytes of the requests pending on this node (budget: {@code NodeOptions.maxPendingBytes}). */
    public long pendingBytes() {
        return node.pendingBytes();
    }

    /**
     * Bytes of committed entries handed to the state machine and not yet applied (budget:
     * {@code NodeOptions.maxApplyQueueBytes}).
     */
    public long applyQueueBytes() {
        return applier.queuedBytes();
    }

    /**
     * Whether the event loop applies committed entries itself while the apply thread is idle
     * ({@code NodeOptions.applyOnEventLoop}): false when that is turned off, and from the moment a state
     * machine slow on the loop was handed to the apply thread (which is logged).
     */
    public boolean appliesOnEventLoop() {
        return node.appliesOnEventLoop();
    }

    /**
     * On the leader, bytes of entries it appended in its term and has not committed (budget:
     * {@code RaftConfig.maxUncommittedBytes}); 0 elsewhere.
     */
    public long uncommittedBytes() {
        return node.uncommittedBytes();
    }

    /**
     * Messages from peers dropped on arrival because their sender had {@code NodeOptions.maxInboundBytesPerPeer}
     * waiting already.
     */
    public long inboundDropped() {
        return node.inboundDropped();
    }

    /** Client sessions open in the group, as of the entries applied here. */
    public int sessionsOpen() {
        return applier.sessionsOpen();
    }

    /** Bytes of answers client sessions keep for their clients (see {@link SessionOptions#maxResponseBytes}). */
    public long sessionAnswerBytes() {
        return applier.sessionAnswerBytes();
    }

    /** From {@code submit} to its future's completion, successful writes only. */
    public LatencyHistogram writeLatency() {
        return writeLatency;
    }

    /** From {@code query} to its future's completion, answered queries only. */
    public LatencyHistogram readLatency() {
        return readLatency;
    }

    /** From handing a batch of log writes to storage to its being durable (fsync included). */
    public LatencyHistogram persistLatency() {
        return persistLatency;
    }

    /** Taking one snapshot of the state machine, writing and syncing it included. */
    public LatencyHistogram snapshotLatency() {
        return applier.snapshotLatency;
    }

    /** The role now. */
    public RaftRole role() {
        return node.status().role();
    }

    /** The term now. */
    public long term() {
        return node.status().term();
    }

    /** The highest index known committed. */
    public long commitIndex() {
        return node.status().commitIndex();
    }

    /** The highest index applied to the state machine. */
    public long appliedIndex() {
        return node.status().appliedIndex();
    }

    /** Requests (writes and reads) waiting for an answer. */
    public int pendingRequests() {
        return node.pendingRequests();
    }

    /** On the leader, how many entries each member is behind its log; empty elsewhere. */
    public Map<String, Long> lag() {
        Membership m = node.membership();
        Map<String, Long> lag = new java.util.TreeMap<>();
        m.matchIndex().keySet().forEach(id -> lag.put(id, m.lag(id)));
        return lag;
    }
}
