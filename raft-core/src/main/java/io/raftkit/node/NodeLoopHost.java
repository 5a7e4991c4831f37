package io.raftkit.node;

import java.util.concurrent.ScheduledExecutorService;

/**
 * Implemented by a {@link io.raftkit.core.Transport} that can host a node's event loop on one of its own
 * I/O threads. A message then reaches the node, and the node's messages reach the wire, without a
 * hand-off to another thread and the wake-up that costs (on a small machine, most of a write's CPU time).
 * A runtime concern, so it lives here and not on the core's transport seam.
 */
public interface NodeLoopHost {

    /**
     * An executor whose one thread delivers this transport's inbound messages (some of them, at least)
     * and writes its outbound ones. Tasks run one at a time, in order, and the node never blocks in them.
     * Asked once, after {@code Transport.start}. Null: the node runs its loop on a thread of its own.
     */
    ScheduledExecutorService nodeLoop();
}
