package io.raftkit.core.message;

import io.raftkit.core.Entry;
import java.util.List;

/**
 * The leader replicates entries that follow {@code (prevLogIndex, prevLogTerm)}, and tells the
 * follower how far the log is committed. An empty {@code entries} list carries only the commit index.
 *
 * @param commitIndex the leader's commit index
 */
public record AppendRequest(String from, String to, long term, long prevLogIndex, long prevLogTerm,
                            List<Entry> entries, long commitIndex) implements Message {

    public AppendRequest {
        Messages.check(from, to, term);
        Messages.nonNegative("prevLogIndex", prevLogIndex);
        Messages.nonNegative("prevLogTerm", prevLogTerm);
        Messages.nonNegative("commitIndex", commitIndex);
        entries = List.copyOf(entries);
    }

    /** Index of the last entry carried, or {@code prevLogIndex} when empty. */
    public long lastIndex() {
        return prevLogIndex + entries.size();
    }
}
