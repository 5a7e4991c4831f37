package io.raftkit.core.message;

/** The answer to a {@link VoteRequest}; {@code preVote} echoes the request's kind. */
public record VoteResponse(String from, String to, long term, boolean granted, boolean preVote)
        implements Message {

    public VoteResponse {
        Messages.check(from, to, term);
    }
}
