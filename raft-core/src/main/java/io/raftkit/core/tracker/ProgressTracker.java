package io.raftkit.core.tracker;

import io.raftkit.core.Configuration;
import io.raftkit.core.quorum.MajorityQuorum;
import io.raftkit.core.quorum.VoteResult;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The replication records of every voter and the votes of the current election, for one
 * configuration. Adapts {@link Progress} to the pure {@link MajorityQuorum} arithmetic.
 */
public final class ProgressTracker {

    private final Configuration configuration;
    private final Map<String, Progress> progress = new LinkedHashMap<>();
    private final Map<String, Boolean> votes = new HashMap<>();

    public ProgressTracker(Configuration configuration) {
        this.configuration = configuration;
    }

    public Configuration configuration() {
        return configuration;
    }

    /** Resets every record to "nothing known", as a new leader does, with next = {@code next}. */
    public void reset(long next, int maxInflightMessages, long maxInflightBytes) {
        progress.clear();
        for (String v : configuration.voters()) {
            progress.put(v, new Progress(next, maxInflightMessages, maxInflightBytes));
        }
    }

    /** The record of {@code id}, or null when it is not a member. */
    public Progress get(String id) {
        return progress.get(id);
    }

    /** Every record, in the configuration's stable order. */
    public Map<String, Progress> all() {
        return progress;
    }

    /** The highest index a majority has acknowledged. */
    public long committedIndex() {
        return MajorityQuorum.committed(configuration.voters(), id -> {
            Progress p = progress.get(id);
            return p == null ? 0 : p.match();
        });
    }

    /** True when a majority (counting {@code self}) has been heard from since the last reset of the flags. */
    public boolean quorumActive(String self) {
        int active = 0;
        for (String v : configuration.voters()) {
            Progress p = progress.get(v);
            if (v.equals(self) || (p != null && p.recentActive())) {
                active++;
            }
        }
        return active >= configuration.quorum();
    }

    /** Clears every activity flag but {@code self}'s. */
    public void resetActivity(String self) {
        for (Map.Entry<String, Progress> e : progress.entrySet()) {
            e.getValue().markActive(e.getKey().equals(self));
        }
    }

    public void resetVotes() {
        votes.clear();
    }

    /** Records a vote; a voter's first answer in an election counts, later ones are ignored. */
    public void recordVote(String id, boolean granted) {
        if (configuration.isVoter(id)) {
            votes.putIfAbsent(id, granted);
        }
    }

    public VoteResult voteResult() {
        return MajorityQuorum.result(configuration.voters(), votes);
    }
}
