package io.raftkit.node;

import io.raftkit.core.Configuration;
import java.util.Map;
import java.util.Set;

/**
 * The group's membership as a node sees it: the configuration in force (the latest one its log holds,
 * which may not be committed yet) and, on the leader, how far each member's log has come.
 *
 * @param voters the voters (of the new configuration during a joint change)
 * @param outgoing during a joint change, the voters of the old configuration; else empty
 * @param learners members that receive the log without voting
 * @param addresses each member's transport address, where known
 * @param matchIndex on the leader, the highest index each member is known to hold; else empty
 * @param lastIndex the last index of this node's log (a member's lag is this minus its match index)
 */
public record Membership(Set<String> voters, Set<String> outgoing, Set<String> learners, Map<String, String> addresses,
                         Map<String, Long> matchIndex, long lastIndex) {

    public Membership {
        voters = Set.copyOf(voters);
        outgoing = Set.copyOf(outgoing);
        learners = Set.copyOf(learners);
        addresses = Map.copyOf(addresses);
        matchIndex = Map.copyOf(matchIndex);
    }

    static Membership of(Configuration c, Map<String, Long> matchIndex, long lastIndex) {
        return new Membership(c.voters(), c.outgoing(), c.learners(), c.addresses(), matchIndex, lastIndex);
    }

    /** True during a joint-consensus change. */
    public boolean joint() {
        return !outgoing.isEmpty();
    }

    /** How many entries {@code member} is behind the leader's log, or -1 when not known here (not the leader). */
    public long lag(String member) {
        Long match = matchIndex.get(member);
        return match == null ? -1 : Math.max(0, lastIndex - match);
    }
}
