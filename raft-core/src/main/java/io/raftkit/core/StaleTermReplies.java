package io.raftkit.core;

import io.raftkit.core.message.AppendRequest;
import io.raftkit.core.message.AppendResponse;
import io.raftkit.core.message.DelegateSnapshot;
import io.raftkit.core.message.ForwardProposal;
import io.raftkit.core.message.ForwardProposalResponse;
import io.raftkit.core.message.GroupChangeRequest;
import io.raftkit.core.message.GroupChangeResponse;
import io.raftkit.core.message.Heartbeat;
import io.raftkit.core.message.Message;
import io.raftkit.core.message.ReadIndexRequest;
import io.raftkit.core.message.ReadIndexResponse;
import io.raftkit.core.message.VoteRequest;
import io.raftkit.core.message.VoteResponse;
import java.util.Optional;

/**
 * What a node answers to a message from an older term. Most such messages are dropped; a few are
 * answered so that the sender learns the newer term or is not left waiting.
 */
final class StaleTermReplies {

    private StaleTermReplies() {}

    /** The reply node {@code self}, at {@code term}, sends to the stale message {@code m}, if any. */
    static Optional<Message> reply(String self, long term, Message m) {
        if (m instanceof AppendRequest || m instanceof Heartbeat || m instanceof DelegateSnapshot) {
            // A deposed leader cut off by a partition would otherwise never learn it was deposed, because
            // pre-vote and leases keep the rest of the group from raising terms it would see.
            return Optional.of(AppendResponse.reject(self, m.from(), term, 0, 0, 0));
        }
        if (m instanceof VoteRequest v) {
            // Refused, with the newer term: a candidate that never learns it keeps campaigning in terms
            // nobody answers, while others move on (seed 24918).
            return Optional.of(new VoteResponse(self, m.from(), term, false, v.preVote()));
        }
        if (m instanceof ForwardProposal p) {
            // The follower that forwarded it would otherwise wait for an answer until its request times out.
            return Optional.of(new ForwardProposalResponse(self, m.from(), term, p.batchId(), 0, false));
        }
        if (m instanceof GroupChangeRequest g) {
            return Optional.of(GroupChangeResponse.refused(self, m.from(), term, g.requestId(),
                    RequestRejected.Reason.LEADER_CHANGED.name(), "the request was for term " + g.term() + ", now " + term));
        }
        if (m instanceof ReadIndexRequest r) {
            return Optional.of(new ReadIndexResponse(self, m.from(), term, r.requestId(), 0, false));
        }
        return Optional.empty();
    }
}
