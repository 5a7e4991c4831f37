package io.raftkit.core.message;

/**
 * Leadership transfer: the leader tells a caught-up follower to start an election at once, skipping
 * pre-vote and the leader-lease check.
 */
public record TimeoutNow(String from, String to, long term) implements Message {

    public TimeoutNow {
        Messages.check(from, to, term);
    }
}
