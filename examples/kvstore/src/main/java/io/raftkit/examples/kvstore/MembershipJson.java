package io.raftkit.examples.kvstore;

import io.raftkit.node.Membership;
import java.util.Set;
import java.util.TreeSet;

/**
 * Renders a {@link Membership} as the JSON object of {@code GET /admin/members}:
 * <pre>{@code
 * {"leader":"n1","joint":false,"voters":["n1","n2","n3"],"outgoing":[],"learners":["n4"],"lastIndex":120,
 *  "members":{"n1":{"address":"127.0.0.1:7001","role":"voter","matchIndex":120,"lag":0},...}}
 * }</pre>
 * {@code role} is {@code voter}, {@code learner} or, during a joint change, {@code outgoing} for a voter
 * that the change drops. {@code matchIndex} and {@code lag} (entries behind the leader's log) are known
 * only on the leader; elsewhere they are null.
 */
final class MembershipJson {

    private MembershipJson() {}

    static String render(Membership m, String leader) {
        StringBuilder b = new StringBuilder(256).append('{');
        b.append("\"leader\":").append(StatusJson.string(leader));
        b.append(",\"joint\":").append(m.joint());
        b.append(",\"voters\":");
        StatusJson.list(b, m.voters());
        b.append(",\"outgoing\":");
        StatusJson.list(b, m.outgoing());
        b.append(",\"learners\":");
        StatusJson.list(b, m.learners());
        b.append(",\"lastIndex\":").append(m.lastIndex());
        b.append(",\"members\":");
        members(b, m);
        return b.append('}').toString();
    }

    /** {@code {"id":{"address":..,"role":..,"matchIndex":..,"lag":..},...}}, by id. */
    static void members(StringBuilder b, Membership m) {
        Set<String> all = new TreeSet<>(m.voters());
        all.addAll(m.outgoing());
        all.addAll(m.learners());
        b.append('{');
        boolean first = true;
        for (String id : all) {
            b.append(first ? "" : ",").append(StatusJson.string(id)).append(":{");
            first = false;
            b.append("\"address\":").append(StatusJson.string(m.addresses().get(id)));
            String role = m.voters().contains(id) ? "voter" : m.learners().contains(id) ? "learner" : "outgoing";
            b.append(",\"role\":").append(StatusJson.string(role));
            Long match = m.matchIndex().get(id);
            b.append(",\"matchIndex\":").append(match == null || match < 0 ? "null" : match.toString());
            b.append(",\"lag\":").append(match == null || match < 0 ? "null" : String.valueOf(m.lag(id)));
            b.append('}');
        }
        b.append('}');
    }
}
