package io.raftkit.core.quorum;

import java.util.Collection;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * Joint-consensus arithmetic: during a change from C_old to C_new, an index is committed, an election
 * won, a leader confirmed only by a majority of each. Outside a change {@code outgoing} is empty and
 * this is {@link MajorityQuorum} over {@code incoming}.
 */
public final class JointQuorum {

    private JointQuorum() {}

    /** The largest value a majority of {@code incoming} and (when joint) of {@code outgoing} have reached. */
    public static long committed(Collection<String> incoming, Collection<String> outgoing, ToLongFunction<String> acked) {
        long in = MajorityQuorum.committed(incoming, acked);
        return outgoing.isEmpty() ? in : Math.min(in, MajorityQuorum.committed(outgoing, acked));
    }

    /** An election is won when won in both voter sets, and lost when lost in either. */
    public static VoteResult result(Collection<String> incoming, Collection<String> outgoing, Map<String, Boolean> votes) {
        VoteResult in = MajorityQuorum.result(incoming, votes);
        if (outgoing.isEmpty()) {
            return in;
        }
        VoteResult out = MajorityQuorum.result(outgoing, votes);
        if (in == VoteResult.LOST || out == VoteResult.LOST) {
            return VoteResult.LOST;
        }
        return in == VoteResult.WON && out == VoteResult.WON ? VoteResult.WON : VoteResult.PENDING;
    }

    /** True when a majority of each voter set satisfies {@code active}. */
    public static boolean active(Collection<String> incoming, Collection<String> outgoing, Predicate<String> active) {
        return majority(incoming, active) && (outgoing.isEmpty() || majority(outgoing, active));
    }

    private static boolean majority(Collection<String> voters, Predicate<String> active) {
        int n = 0;
        for (String v : voters) {
            if (active.test(v)) {
                n++;
            }
        }
        return n >= voters.size() / 2 + 1;
    }
}
