package io.raftkit.core;

import io.raftkit.core.message.Message;

/**
 * One role's behaviour. {@link RaftCore#step} settles the term and answers vote requests (every role
 * treats those alike) before handing a message to the current role. A role object lives for one stint
 * in that role and owns the state that only makes sense there (a leader's replication records, a
 * follower's forwarded proposals); {@link #leave} fails whatever it still holds.
 */
sealed interface Role permits FollowerRole, CandidateRole, LeaderRole {

    RaftRole kind();

    void tick(RaftCore core);

    /** Handles a message whose term equals the node's term (or a granted pre-vote answer). */
    void step(RaftCore core, Message m);

    /** {@code type} is {@link EntryType#COMMAND} or {@link EntryType#SESSION}. */
    void propose(RaftCore core, long requestId, EntryType type, byte[] command);

    void read(RaftCore core, long requestId, boolean lease);

    /** A caller's change to the group: decided on the leader, forwarded by a follower, refused otherwise. */
    void changeGroup(RaftCore core, long requestId, GroupChange change);

    /** Sends work batched since the last Ready (appends, forwarded proposals, read rounds). */
    void flush(RaftCore core);

    /** The node is leaving this role: fail or answer everything still pending. */
    void leave(RaftCore core);
}
