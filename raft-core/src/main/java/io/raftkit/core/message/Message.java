package io.raftkit.core.message;

/**
 * A message between two nodes of a group. Every message carries its sender, its addressee and the
 * sender's term, which the receiver settles first (a higher term makes any node a follower).
 *
 * <p>Messages are immutable values; transports map them to and from their wire form.
 */
public sealed interface Message
        permits VoteRequest, VoteResponse, AppendRequest, AppendResponse, Heartbeat, HeartbeatResponse,
                ReadIndexRequest, ReadIndexResponse, ForwardProposal, ForwardProposalResponse,
                InstallSnapshot, InstallSnapshotResponse, TimeoutNow, GroupChangeRequest, GroupChangeResponse,
                DelegateSnapshot, DelegateSnapshotResponse {

    /** The sender's node id. */
    String from();

    /** The addressee's node id. */
    String to();

    /** The sender's term when it sent the message (for a pre-vote request: the term it would campaign in). */
    long term();
}
