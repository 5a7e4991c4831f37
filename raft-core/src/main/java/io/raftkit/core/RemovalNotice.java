package io.raftkit.core;

import io.raftkit.core.message.AppendRequest;
import io.raftkit.core.message.Heartbeat;
import io.raftkit.core.message.Message;
import io.raftkit.core.message.VoteRequest;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A leader's answer to a node that its committed configuration leaves out and that stands for election
 * (a pre-vote). Members a change drops get the log until the change commits, but not the commit itself
 * (once it commits the leader sends them nothing), and a member that was down meanwhile gets not even
 * the change. Either way it went on standing, a pre-vote every election timeout, for as long as it ran:
 * harmless to the group, which ignores it, but it never learnt that it was out (a node replaced while
 * it was down campaigned for good once restarted).
 *
 * <p>So the leader answers, when the candidate's log matches its own at the candidate's last entry (by
 * log matching, so does everything before it): with a commit notice when that log holds the
 * configuration that leaves it out, else with an append of the entries it lacks up to that
 * configuration (as many as one append carries; its next pre-vote brings the rest). Either names the
 * leader's commit index, which the follower applies only up to what it then holds. The node then
 * follows, knows it was removed, and never campaigns again ({@link ConfigurationChanges#mayCampaign}).
 *
 * <p>Only when the candidate's own term is not above the leader's (a pre-vote asks for its term + 1):
 * otherwise the answer would be refused as stale, with a term that deposes the leader. A candidate
 * whose missing entries were compacted away would need a snapshot: it gets no answer.
 */
final class RemovalNotice {

    private static final Logger log = LoggerFactory.getLogger(RemovalNotice.class);

    private RemovalNotice() {}

    /** Answers {@code v} when it comes from a node the committed configuration left out; see above. */
    static void answer(RaftCore core, VoteRequest v) {
        ConfigurationHistory history = core.raftLog.configurations();
        long configIndex = history.latestIndex();
        if (!v.preVote() || v.term() > core.term + 1 || core.tracker.get(v.from()) != null
                || history.latest().isMember(v.from()) || configIndex > core.raftLog.committed()
                || !core.raftLog.matchTerm(v.lastLogIndex(), v.lastLogTerm())) {
            return;
        }
        Message answer;
        if (v.lastLogIndex() >= configIndex) {
            long commit = Math.min(core.raftLog.committed(), v.lastLogIndex());
            answer = new Heartbeat(core.id, v.from(), core.term, commit, Heartbeat.NO_READ_ROUND);
        } else {
            long from = v.lastLogIndex() + 1;
            List<Entry> missing = core.raftLog.entries(from, configIndex + 1, core.config.maxAppendBytes());
            if (missing == null || missing.isEmpty()) {
                return;
            }
            answer = new AppendRequest(core.id, v.from(), core.term, v.lastLogIndex(), v.lastLogTerm(), missing,
                    core.raftLog.committed());
        }
        log.info("{}: telling {}, which stands for election, that the configuration {} leaving it out is"
                + " committed (index {})", core.id, v.from(), history.latest(), configIndex);
        core.send(answer);
    }
}
