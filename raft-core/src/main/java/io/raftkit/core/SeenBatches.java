package io.raftkit.core;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;

/**
 * The forwarded batch ids a leader has appended in its term, per sender, so that a duplicated
 * {@link io.raftkit.core.message.ForwardProposal} is not appended twice. A new leader starts empty:
 * it only accepts batches sent in its own term, which it cannot have seen before.
 */
final class SeenBatches {

    private static final int REMEMBERED_PER_SENDER = 4096;

    private final Map<String, LinkedHashSet<Long>> seen = new HashMap<>();

    /** True the first time {@code batchId} from {@code sender} is offered. */
    boolean firstTime(String sender, long batchId) {
        LinkedHashSet<Long> ids = seen.computeIfAbsent(sender, s -> new LinkedHashSet<>());
        if (!ids.add(batchId)) {
            return false;
        }
        if (ids.size() > REMEMBERED_PER_SENDER) {
            ids.remove(ids.iterator().next());
        }
        return true;
    }
}
