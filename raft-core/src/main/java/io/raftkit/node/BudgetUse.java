package io.raftkit.node;

/**
 * How much of each memory budget a node uses now, next to its limit: where it stands against the
 * back-pressure it applies ({@link RequestRejectedException.Reason#OVERLOADED} refusals, entries held
 * back in the log).
 *
 * @param pendingBytes payload bytes of the requests pending on the node
 * @param maxPendingBytes {@code NodeOptions.maxPendingBytes}
 * @param pendingRequests requests pending on the node
 * @param maxPendingRequests {@code NodeOptions.maxPendingRequests}
 * @param uncommittedBytes on a leader, entry bytes appended in its term and not committed; 0 elsewhere
 * @param maxUncommittedBytes {@code RaftConfig.maxUncommittedBytes}
 * @param applyQueueBytes committed entry bytes handed to the state machine and not yet applied
 * @param maxApplyQueueBytes {@code NodeOptions.maxApplyQueueBytes}
 * @param sessionAnswerBytes bytes of answers the group's client sessions keep (per-session limit
 *     {@code SessionOptions.maxResponseBytes})
 * @param inboundBytes the most bytes of messages any one peer has waiting for the event loop now
 * @param maxInboundBytesPerPeer {@code NodeOptions.maxInboundBytesPerPeer}
 * @param snapshotTransfers snapshot transfers this node is sending now; each holds at most one chunk of
 *     {@code snapshotChunkBytes} in memory and in flight (the follower's answer paces the next), so
 *     transfers cost at most their product
 * @param snapshotChunkBytes {@code NodeOptions.snapshotChunkBytes}
 */
public record BudgetUse(long pendingBytes, long maxPendingBytes, int pendingRequests, int maxPendingRequests,
                        long uncommittedBytes, long maxUncommittedBytes, long applyQueueBytes,
                        long maxApplyQueueBytes, long sessionAnswerBytes, long inboundBytes,
                        long maxInboundBytesPerPeer, int snapshotTransfers, int snapshotChunkBytes) {}
