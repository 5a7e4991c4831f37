package io.raftkit.core.message;

import io.raftkit.core.Entry;

/**
 * What a message holds in memory, estimated: its payloads (entries, forwarded commands, a snapshot
 * chunk) plus a fixed overhead. The one measure the byte budgets on messages use: a transport's queue
 * per peer, a node's inbox per peer.
 */
public final class MessageSize {

    /** What any message counts beyond its payloads. */
    public static final int OVERHEAD_BYTES = 64;

    private MessageSize() {}

    /** The estimated bytes {@code m} holds. */
    public static long of(Message m) {
        long bytes = OVERHEAD_BYTES;
        if (m instanceof AppendRequest a) {
            for (Entry e : a.entries()) {
                bytes += e.sizeBytes();
            }
        } else if (m instanceof ForwardProposal p) {
            for (byte[] c : p.commands()) {
                bytes += c.length + Entry.OVERHEAD_BYTES;
            }
        } else if (m instanceof InstallSnapshot s && s.data() != null) {
            // A null payload is a sender bug that transports reject; estimating it must not throw.
            bytes += s.data().length;
        }
        return bytes;
    }
}
