package io.raftkit.core.message;

import io.raftkit.core.EntryType;
import java.util.Arrays;
import java.util.List;

/**
 * A follower forwards client commands to the leader it knows. The leader accepts the batch only when
 * {@code term} is its own term (so the sender knew this very leader), appends the commands as
 * consecutive entries and answers with where they went. The leader ignores a batch id it has already
 * seen from this sender in this term, so a duplicated message cannot append the commands twice.
 *
 * @param batchId identifies the batch for the sender; unique per sender
 * @param types the entry type of each command, or empty when all are {@link EntryType#COMMAND} (the
 *     common case, which costs nothing on the wire)
 */
public record ForwardProposal(String from, String to, long term, long batchId, List<byte[]> commands,
                              List<EntryType> types) implements Message {

    public ForwardProposal {
        Messages.check(from, to, term);
        commands = List.copyOf(commands);
        types = List.copyOf(types);
        if (!types.isEmpty() && types.size() != commands.size()) {
            throw new IllegalArgumentException("forwarded proposal has " + commands.size() + " commands but "
                    + types.size() + " entry types");
        }
        for (EntryType t : types) {
            if (t != EntryType.COMMAND && t != EntryType.SESSION) {
                throw new IllegalArgumentException("a forwarded proposal cannot carry a " + t + " entry");
            }
        }
    }

    /** A batch of plain commands. */
    public ForwardProposal(String from, String to, long term, long batchId, List<byte[]> commands) {
        this(from, to, term, batchId, commands, List.of());
    }

    /** The entry type of command {@code i}. */
    public EntryType typeOf(int i) {
        return types.isEmpty() ? EntryType.COMMAND : types.get(i);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ForwardProposal p) || !p.from.equals(from) || !p.to.equals(to) || p.term != term
                || p.batchId != batchId || p.commands.size() != commands.size()) {
            return false;
        }
        for (int i = 0; i < commands.size(); i++) {
            if (typeOf(i) != p.typeOf(i) || !Arrays.equals(commands.get(i), p.commands.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = java.util.Objects.hash(from, to, term, batchId);
        for (byte[] c : commands) {
            h = h * 31 + Arrays.hashCode(c);
        }
        return h;
    }

    @Override
    public String toString() {
        return "ForwardProposal[from=" + from + ", to=" + to + ", term=" + term + ", batchId=" + batchId
                + ", commands=" + commands.size() + "]";
    }
}
