package io.raftkit.core.message;

/**
 * The leader's answer to a {@link ForwardProposal}. When {@code accepted}, the batch's commands were
 * appended at {@code firstIndex}, {@code firstIndex + 1}, ... in the leader's term {@code term}: the
 * sender learns the outcome of each by applying those indexes and checking their term. When not
 * accepted, the answer comes from a node that is no leader (any more) in that term, which cannot say
 * whether an earlier copy of the batch was appended; with {@code retry}, it comes from the leader, which
 * has not appended the batch and takes no proposals for now (it is handing leadership over): the sender
 * retries, with the next leader. With {@code overloaded}, it comes from the leader, which has not
 * appended the batch because it holds its budget of uncommitted entries: the requests fail, to be
 * retried later.
 */
public record ForwardProposalResponse(String from, String to, long term, long batchId, long firstIndex,
                                      boolean accepted, boolean retry, boolean overloaded) implements Message {

    public ForwardProposalResponse {
        Messages.check(from, to, term);
        Messages.nonNegative("firstIndex", firstIndex);
        if (accepted && (retry || overloaded)) {
            throw new IllegalArgumentException("an accepted batch is not to be retried or refused");
        }
    }

    /** An answer that is not a request to retry. */
    public ForwardProposalResponse(String from, String to, long term, long batchId, long firstIndex, boolean accepted) {
        this(from, to, term, batchId, firstIndex, accepted, false, false);
    }

    /** An answer that may ask to retry. */
    public ForwardProposalResponse(String from, String to, long term, long batchId, long firstIndex, boolean accepted,
                                   boolean retry) {
        this(from, to, term, batchId, firstIndex, accepted, retry, false);
    }

    /** The leader appended nothing of the batch: it holds its budget of uncommitted entries. */
    public static ForwardProposalResponse overloaded(String from, String to, long term, long batchId) {
        return new ForwardProposalResponse(from, to, term, batchId, 0, false, false, true);
    }
}
