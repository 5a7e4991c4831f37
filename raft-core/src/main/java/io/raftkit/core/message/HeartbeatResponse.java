package io.raftkit.core.message;

/** A follower's answer to a {@link Heartbeat}, echoing its {@code readRound}. */
public record HeartbeatResponse(String from, String to, long term, long readRound) implements Message {

    public HeartbeatResponse {
        Messages.check(from, to, term);
        Messages.nonNegative("readRound", readRound);
    }
}
