package io.raftkit.examples.kvstore;

import io.raftkit.node.NodeStatus;
import java.util.Map;

/**
 * Renders a {@link NodeStatus} as the JSON object of {@code GET /status}:
 * <pre>{@code
 * {"id":"n1","role":"LEADER","term":3,"leader":"n1","commitIndex":42,"appliedIndex":42,
 *  "lastSnapshotIndex":0,"members":{"n1":"127.0.0.1:7001",...},"failure":null}
 * }</pre>
 * {@code role} is the library's {@code RaftRole} name: FOLLOWER, PRE_CANDIDATE, CANDIDATE or LEADER;
 * {@code leader} and {@code failure} are null when there is none.
 */
final class StatusJson {

    private StatusJson() {}

    static String render(NodeStatus s) {
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
        return b.append('}').toString();
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
