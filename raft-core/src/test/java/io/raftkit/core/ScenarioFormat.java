package io.raftkit.core;

import io.raftkit.core.message.AppendRequest;
import io.raftkit.core.message.AppendResponse;
import io.raftkit.core.message.ForwardProposal;
import io.raftkit.core.message.ForwardProposalResponse;
import io.raftkit.core.message.Heartbeat;
import io.raftkit.core.message.HeartbeatResponse;
import io.raftkit.core.message.DelegateSnapshot;
import io.raftkit.core.message.DelegateSnapshotResponse;
import io.raftkit.core.message.InstallSnapshot;
import io.raftkit.core.message.InstallSnapshotResponse;
import io.raftkit.core.message.Message;
import io.raftkit.core.message.ReadIndexRequest;
import io.raftkit.core.message.ReadIndexResponse;
import io.raftkit.core.message.VoteRequest;
import io.raftkit.core.message.VoteResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.StringJoiner;

/**
 * The one-line texts of the scenario files. Random values (forwarded batch ids) are left out: they
 * would make every trace depend on the seed's draws without showing anything.
 */
final class ScenarioFormat {

    private ScenarioFormat() {}

    static String message(Message m) {
        return m.from() + "->" + m.to() + " " + m.getClass().getSimpleName() + " term=" + m.term() + details(m);
    }

    private static String details(Message m) {
        if (m instanceof VoteRequest v) {
            return " last=" + v.lastLogIndex() + "/" + v.lastLogTerm() + (v.preVote() ? " prevote" : "");
        } else if (m instanceof VoteResponse v) {
            return (v.granted() ? " granted" : " refused") + (v.preVote() ? " prevote" : "");
        } else if (m instanceof AppendRequest a) {
            return " prev=" + a.prevLogIndex() + "/" + a.prevLogTerm() + " commit=" + a.commitIndex()
                    + " [" + entries(a.entries()) + "]";
        } else if (m instanceof AppendResponse a) {
            return a.success() ? " match=" + a.matchIndex()
                    : " reject prev=" + a.rejectedPrevIndex() + " hint=" + a.conflictTerm() + "/" + a.conflictIndex();
        } else if (m instanceof Heartbeat h) {
            return " commit=" + h.commitIndex() + " round=" + h.readRound();
        } else if (m instanceof HeartbeatResponse h) {
            return " round=" + h.readRound();
        } else if (m instanceof ReadIndexRequest r) {
            return " " + readId(r.requestId());
        } else if (m instanceof ReadIndexResponse r) {
            return " " + readId(r.requestId()) + (r.success() ? " index=" + r.readIndex() : " failed");
        } else if (m instanceof ForwardProposal p) {
            return " " + commands(p.commands());
        } else if (m instanceof ForwardProposalResponse r) {
            return r.accepted() ? " first=" + r.firstIndex() + " accepted" : " refused";
        } else if (m instanceof InstallSnapshot s) {
            return " snapshot=" + s.meta().index() + "/" + s.meta().term() + (s.fromLeader() ? "" : " for=" + s.leader())
                    + (s.done() ? "" : " offset=" + s.offset() + " partial");
        } else if (m instanceof DelegateSnapshot d) {
            return " target=" + d.target() + " min=" + d.minIndex();
        } else if (m instanceof DelegateSnapshotResponse r) {
            return " target=" + r.target() + " " + r.outcome().name().toLowerCase(java.util.Locale.ROOT);
        } else if (m instanceof InstallSnapshotResponse r) {
            return " snapshot=" + r.snapshotIndex() + (r.success() ? " ok" : " failed");
        }
        return ""; // TimeoutNow: the term says it all
    }

    /** {@code 1/1:noop 2/1:"x"}: index/term, then what the entry carries. */
    static String entries(List<Entry> entries) {
        StringJoiner j = new StringJoiner(" ");
        for (Entry e : entries) {
            String what = switch (e.type()) {
                case NOOP -> "noop";
                case CONFIGURATION -> "config";
                case SESSION -> "session";
                case COMMAND -> quoted(e.data());
            };
            j.add(e.index() + "/" + e.term() + ":" + what);
        }
        return j.toString();
    }

    private static String commands(List<byte[]> commands) {
        StringJoiner j = new StringJoiner(" ");
        commands.forEach(c -> j.add(quoted(c)));
        return j.toString();
    }

    private static String quoted(byte[] data) {
        return '"' + new String(data, StandardCharsets.UTF_8) + '"';
    }

    /** Role, term, the known leader (for a follower) and the vote: what a transition changes. */
    static String state(RaftCore c) {
        String leader = c.role() == RaftRole.FOLLOWER ? " leader=" + orNone(c.leader()) : "";
        return c.role() + " term=" + c.term() + leader + " vote=" + orNone(c.votedFor());
    }

    /** The configuration in force on a node and the index of the entry that carries it. */
    static String configuration(RaftCore c) {
        return "config " + c.configuration() + " @" + c.configurationIndex();
    }

    static String status(RaftCore c) {
        return c.id() + " " + state(c) + " commit=" + c.commitIndex() + " last=" + c.lastIndex() + " ticks=" + c.ticks();
    }

    static String readState(String node, ReadState s) {
        return node + " readState id=" + s.requestId() + " index=" + s.readIndex()
                + (s.byLease() ? " lease<tick " + s.leaseExpiresAtTick() : "");
    }

    static String orNone(String s) {
        return s == null ? "none" : s;
    }

    /**
     * A follower's read-index requests are numbered from a random start (so that answers meant for an
     * earlier incarnation match nothing): shown by their last four hex digits, enough to pair them.
     */
    private static String readId(long id) {
        return String.format("#%04x", id & 0xffff);
    }
}
