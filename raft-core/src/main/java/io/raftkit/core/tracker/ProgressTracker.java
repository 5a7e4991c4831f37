package io.raftkit.core.tracker;

import io.raftkit.core.Configuration;
import io.raftkit.core.quorum.JointQuorum;
import io.raftkit.core.quorum.VoteResult;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The replication records of every member (voters of both sets during a joint change, and learners)
 * and the votes of the current election, for the configuration in force. Adapts {@link Progress} to
 * the pure {@link JointQuorum} arithmetic: learners get records, so that they are replicated to, but
 * never count towards a quorum.
 */
public final class ProgressTracker {

    private Configuration configuration;
    private Set<String> departing = Set.of();
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
        Set<String> replicated = new TreeSet<>(configuration.members());
        replicated.addAll(departing);
        for (String id : replicated) {
            progress.put(id, new Progress(next, maxInflightMessages, maxInflightBytes));
        }
    }

    /**
     * Switches to {@code next}, still replicating to {@code departing} (members of the configuration
     * before it, until {@code next} commits, so that they learn they left and do not campaign). Records
     * of those that stay are kept; new members get a record that probes from {@code nextIndex}; the
     * others are dropped. Departing members never count towards a quorum. Without records (not a
     * leader) only the configuration changes.
     */
    public void configure(Configuration next, Set<String> departing, long nextIndex, int maxInflightMessages,
                          long maxInflightBytes) {
        boolean tracking = !progress.isEmpty();
        configuration = next;
        this.departing = Set.copyOf(departing);
        votes.keySet().retainAll(next.voterList());
        if (!tracking) {
            return;
        }
        Set<String> replicated = new TreeSet<>(next.members());
        replicated.addAll(departing);
        Map<String, Progress> kept = new LinkedHashMap<>();
        for (String id : replicated) {
            Progress p = progress.get(id);
            kept.put(id, p != null ? p : new Progress(nextIndex, maxInflightMessages, maxInflightBytes));
        }
        progress.clear();
        progress.putAll(kept);
    }

    /** Members replicated to although the configuration in force no longer has them (see {@link #configure}). */
    public Set<String> departing() {
        return departing;
    }

    /** The record of {@code id}, or null when it is not a member. */
    public Progress get(String id) {
        return progress.get(id);
    }

    /** Every record, in the configuration's stable order. */
    public Map<String, Progress> all() {
        return progress;
    }

    /** The highest index a majority (of each voter set, during a joint change) has acknowledged. */
    public long committedIndex() {
        return JointQuorum.committed(configuration.voters(), configuration.outgoing(), id -> {
            Progress p = progress.get(id);
            return p == null ? 0 : p.match();
        });
    }

    /** True when a majority (counting {@code self}) has been heard from since the last reset of the flags. */
    public boolean quorumActive(String self) {
        return JointQuorum.active(configuration.voters(), configuration.outgoing(), id -> {
            Progress p = progress.get(id);
            return id.equals(self) || (p != null && p.recentActive());
        });
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
        return JointQuorum.result(configuration.voters(), configuration.outgoing(), votes);
    }
}
