package io.raftkit.examples.kvstore;

import io.raftkit.node.Membership;
import io.raftkit.node.NodeStatus;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Renders a {@link NodeStatus} and the {@link Membership} as the JSON object of {@code GET /status}:
 * <pre>{@code
 * {"id":"n1","role":"LEADER","term":3,"leader":"n1","commitIndex":42,"appliedIndex":42,
 *  "lastSnapshotIndex":0,"members":{"n1":"127.0.0.1:7001",...},"failure":null,
 *  "diskStalled":false,"sessionsOpen":2,"budgets":{"pendingBytes":0,"maxPendingBytes":67108864,...},
 *  "voters":["n1","n2","n3"],"learners":[],"joint":false,"lag":{"n1":0,"n2":0,"n3":1}}
 * }</pre>
 * {@code role} is the library's {@code RaftRole} name: FOLLOWER, PRE_CANDIDATE, CANDIDATE or LEADER;
 * {@code leader} and {@code failure} are null when there is none. {@code members} gives every member's
 * Raft address (of the configuration in force, learners and outgoing voters included); {@code lag}, how
 * many entries each is behind the leader's log, is known only on the leader (elsewhere every lag is null).
 * {@code sessionsOpen} counts the group's client sessions as of the entries this node has applied;
 * {@code budgets} is {@code NodeStatus.budgets()}: each memory budget's use next to its limit.
 */
final class StatusJson {

    private StatusJson() {}

    static String render(NodeStatus s, Membership membership, int sessionsOpen) {
        StringBuilder b = new StringBuilder(256).append('{');
        b.append("\"id\":").append(string(s.id()));
        b.append(",\"role\":").append(string(s.role().name()));
        b.append(",\"term\":").append(s.term());
        b.append(",\"leader\":").append(string(s.leader()));
        b.append(",\"commitIndex\":").append(s.commitIndex());
        b.append(",\"appliedIndex\":").append(s.appliedIndex());
        b.append(",\"lastSnapshotIndex\":").append(s.lastSnapshotIndex());
        b.append(",\"members\":{");
        boolean first = true;
        for (Map.Entry<String, String> m : s.members().entrySet()) {
            b.append(first ? "" : ",").append(string(m.getKey())).append(':').append(string(m.getValue()));
            first = false;
        }
        b.append("},\"failure\":").append(string(s.failure()));
        b.append(",\"diskStalled\":").append(s.diskStalled());
        b.append(",\"sessionsOpen\":").append(sessionsOpen);
        io.raftkit.node.BudgetUse u = s.budgets();
        b.append(",\"budgets\":{\"pendingBytes\":").append(u.pendingBytes())
                .append(",\"maxPendingBytes\":").append(u.maxPendingBytes())
                .append(",\"pendingRequests\":").append(u.pendingRequests())
                .append(",\"maxPendingRequests\":").append(u.maxPendingRequests())
                .append(",\"uncommittedBytes\":").append(u.uncommittedBytes())
                .append(",\"maxUncommittedBytes\":").append(u.maxUncommittedBytes())
                .append(",\"applyQueueBytes\":").append(u.applyQueueBytes())
                .append(",\"maxApplyQueueBytes\":").append(u.maxApplyQueueBytes())
                .append(",\"sessionAnswerBytes\":").append(u.sessionAnswerBytes())
                .append(",\"inboundBytes\":").append(u.inboundBytes())
                .append(",\"maxInboundBytesPerPeer\":").append(u.maxInboundBytesPerPeer())
                .append(",\"snapshotTransfers\":").append(u.snapshotTransfers())
                .append(",\"snapshotChunkBytes\":").append(u.snapshotChunkBytes()).append('}');
        b.append(",\"voters\":");
        list(b, membership.voters());
        b.append(",\"learners\":");
        list(b, membership.learners());
        b.append(",\"joint\":").append(membership.joint());
        b.append(",\"lag\":{");
        first = true;
        for (String id : new TreeSet<>(s.members().keySet())) {
            long lag = membership.matchIndex().containsKey(id) ? membership.lag(id) : -1;
            b.append(first ? "" : ",").append(string(id)).append(':').append(lag < 0 ? "null" : String.valueOf(lag));
            first = false;
        }
        return b.append("}}").toString();
    }

    static void list(StringBuilder b, Set<String> ids) {
        b.append('[');
        boolean first = true;
        for (String id : new TreeSet<>(ids)) {
            b.append(first ? "" : ",").append(string(id));
            first = false;
        }
        b.append(']');
    }

    static String string(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
