package io.raftkit.core.message;

/**
 * The leader's answer to a {@link ForwardProposal}. When {@code accepted}, the batch's commands were
 * appended at {@code firstIndex}, {@code firstIndex + 1}, ... in the leader's term {@code term}: the
 * sender learns the outcome of each by applying those indexes and checking their term. When not
 * accepted, nothing was appended and the sender may retry with the leader it learns of.
 */
public record ForwardProposalResponse(String from, String to, long term, long batchId, long firstIndex,
                                      boolean accepted) implements Message {

    public ForwardProposalResponse {
        Messages.check(from, to, term);
        Messages.nonNegative("firstIndex", firstIndex);
    }
}
