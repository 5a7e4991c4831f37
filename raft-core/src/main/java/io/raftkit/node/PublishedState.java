package io.raftkit.node;

import io.raftkit.core.Configuration;
import io.raftkit.core.RaftCore;
import io.raftkit.core.RaftRole;
import io.raftkit.core.Ready;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link RaftNode}'s callers see of its Raft state: role, term, leader, commit index, configuration
 * and a leader's uncommitted bytes as of the event loop's last step, in volatile fields that any thread
 * reads without a lock or an allocation. The loop publishes each step here ({@link #publish}); that is
 * also where campaigns and leader changes are counted and recorded, and where leader listeners are
 * scheduled (on the apply thread, never on the loop).
 */
final class PublishedState {

    private static final Logger log = LoggerFactory.getLogger(PublishedState.class);

    private final String nodeId;
    private final RaftCore core;
    private final NodeMetrics metrics;
    /** Hands a task to the apply thread. */
    private final Consumer<ApplyTask> apply;
    private final List<LeaderListener> listeners = new CopyOnWriteArrayList<>();

    private volatile RaftRole role = RaftRole.FOLLOWER;
    private volatile long term;
    private volatile String leader;
    private volatile long commitIndex;
    private volatile long uncommittedBytes;
    private volatile Configuration configuration;
    /** Loop-only: the leader and term the listeners were last told of. */
    private String reportedLeader;
    private long reportedTerm = -1;

    PublishedState(String nodeId, RaftCore core, NodeMetrics metrics, Consumer<ApplyTask> apply) {
        this.nodeId = nodeId;
        this.core = core;
        this.metrics = metrics;
        this.apply = apply;
        this.term = core.term();
        this.commitIndex = core.commitIndex();
        this.configuration = core.configuration();
    }

    RaftRole role() {
        return role;
    }

    long term() {
        return term;
    }

    String leader() {
        return leader;
    }

    long commitIndex() {
        return commitIndex;
    }

    long uncommittedBytes() {
        return uncommittedBytes;
    }

    Configuration configuration() {
        return configuration;
    }

    /** Called (on the apply thread) whenever the known leader or the term changes; until {@link #unlisten}. */
    void listen(LeaderListener listener) {
        listeners.add(listener);
    }

    void unlisten(LeaderListener listener) {
        listeners.remove(listener);
    }

    /** On the loop, after each step of the core. */
    void publish(Ready r) {
        uncommittedBytes = core.uncommittedBytes();
        Configuration c = core.configuration();
        if (c != configuration) {
            configuration = c; // the same object until the log holds another configuration
        }
        RaftRole before = role;
        role = r.role();
        boolean standing = role == RaftRole.PRE_CANDIDATE || role == RaftRole.CANDIDATE;
        boolean wasStanding = before == RaftRole.PRE_CANDIDATE || before == RaftRole.CANDIDATE;
        if (standing && (!wasStanding || (role == RaftRole.CANDIDATE && before == RaftRole.CANDIDATE
                && r.term() != term))) {
            metrics.campaigns.increment(); // a pre-vote round and the election it leads to count once
            FlightEvents.Campaign event = new FlightEvents.Campaign();
            if (event.shouldCommit()) {
                event.node = nodeId;
                event.term = r.term();
                event.preVote = role == RaftRole.PRE_CANDIDATE;
                event.commit();
            }
        }
        if (!Objects.equals(r.leader(), leader)) {
            metrics.leaderChanges.increment();
            FlightEvents.LeaderChange event = new FlightEvents.LeaderChange();
            if (event.shouldCommit()) {
                event.node = nodeId;
                event.term = r.term();
                event.leader = r.leader();
                event.commit();
            }
        }
        term = r.term();
        leader = r.leader();
        commitIndex = core.commitIndex();
        if (!Objects.equals(r.leader(), reportedLeader) || r.term() != reportedTerm) {
            reportedLeader = r.leader();
            reportedTerm = r.term();
            tellListeners(r.leader(), r.term());
        }
    }

    private void tellListeners(String l, long t) {
        apply.accept(new ApplyTask.Callback(() -> {
            for (LeaderListener listener : listeners) {
                try {
                    listener.leaderChanged(l, t);
                } catch (RuntimeException e) {
                    log.warn("{}: a leader listener failed", nodeId, e);
                }
            }
        }, null));
    }
}
