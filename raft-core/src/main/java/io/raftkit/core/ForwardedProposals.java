package io.raftkit.core;

import io.raftkit.core.message.ForwardProposal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A follower's proposals on their way to the leader: those collected since the last {@link Ready}
 * (sent together as one {@link ForwardProposal}) and the batches awaiting the leader's answer.
 */
final class ForwardedProposals {

    /** Batches awaiting an answer beyond this many are given up as indeterminate. */
    private static final int MAX_IN_FLIGHT_BATCHES = 4096;

    private long nextBatchId;
    private final List<Long> bufferedIds = new ArrayList<>();
    private final List<byte[]> bufferedCommands = new ArrayList<>();
    /** The buffered entries' types, kept only once one is not a plain command (the common case costs nothing). */
    private List<EntryType> bufferedTypes;
    private final LinkedHashMap<Long, long[]> inFlight = new LinkedHashMap<>();

    /** Batch ids start at a random point so that a restarted follower does not reuse its earlier ids. */
    ForwardedProposals(long firstBatchId) {
        this.nextBatchId = firstBatchId;
    }

    void add(long requestId, EntryType type, byte[] command) {
        if (type != EntryType.COMMAND && bufferedTypes == null) {
            bufferedTypes = new ArrayList<>(java.util.Collections.nCopies(bufferedCommands.size(), EntryType.COMMAND));
        }
        if (bufferedTypes != null) {
            bufferedTypes.add(type);
        }
        bufferedIds.add(requestId);
        bufferedCommands.add(command);
    }

    boolean hasBuffered() {
        return !bufferedIds.isEmpty();
    }

    /**
     * Turns the buffered proposals into one message for {@code leader}. Returns the request ids of
     * batches given up to stay within the bound (their outcome is unknown).
     */
    ForwardProposal flush(String self, String leader, long term, List<Long> givenUp) {
        long batchId = nextBatchId++;
        long[] ids = new long[bufferedIds.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = bufferedIds.get(i);
        }
        ForwardProposal m = new ForwardProposal(self, leader, term, batchId, bufferedCommands,
                bufferedTypes == null ? List.of() : bufferedTypes);
        bufferedIds.clear();
        bufferedCommands.clear();
        bufferedTypes = null;
        inFlight.put(batchId, ids);
        while (inFlight.size() > MAX_IN_FLIGHT_BATCHES) {
            Map.Entry<Long, long[]> oldest = inFlight.entrySet().iterator().next();
            inFlight.remove(oldest.getKey());
            for (long id : oldest.getValue()) {
                givenUp.add(id);
            }
        }
        return m;
    }

    /** The request ids of an answered batch, or null when unknown (duplicate or given up). */
    long[] complete(long batchId) {
        return inFlight.remove(batchId);
    }

    /** Request ids never sent. */
    List<Long> takeBuffered() {
        List<Long> ids = new ArrayList<>(bufferedIds);
        bufferedIds.clear();
        bufferedCommands.clear();
        bufferedTypes = null;
        return ids;
    }

    /** Request ids sent and not answered. */
    List<Long> takeInFlight() {
        List<Long> ids = new ArrayList<>();
        for (long[] batch : inFlight.values()) {
            for (long id : batch) {
                ids.add(id);
            }
        }
        inFlight.clear();
        return ids;
    }
}
