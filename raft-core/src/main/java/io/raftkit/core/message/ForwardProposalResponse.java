package io.raftkit.core.message;

/**
 * The leader's answer to a {@link ForwardProposal}. When {@code accepted}, the batch's commands were
 * appended at {@code firstIndex}, {@code firstIndex + 1}, ... in the leader's term {@code term}: the
 * sender learns the outcome of each by applying those indexes and checking their term. When not
 * accepted, the answer comes from a node that is no leader (any more) in that term, which cannot say
 * whether an earlier copy of the batch was appended; with {@code retry}, it comes from the leader, which
 * has not appended the batch and takes no proposals for now (it is handing leadership over): the sender
 * retries, with the next leader.
 */
public record ForwardProposalResponse(String from, String to, long term, long batchId, long firstIndex,
                                      boolean accepted, boolean retry) implements Message {

    public ForwardProposalResponse {
        Messages.check(from, to, term);
        Messages.nonNegative("firstIndex", firstIndex);
        if (accepted && retry) {
            throw new IllegalArgumentException("an accepted batch is not to be retried");
        }
    }

    /** An answer that is not a request to retry. */
    public ForwardProposalResponse(String from, String to, long term, long batchId, long firstIndex, boolean accepted) {
        this(from, to, term, batchId, firstIndex, accepted, false);
    }
}
