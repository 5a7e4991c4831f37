package io.raftkit.core.quorum;

import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Majority arithmetic over a voter set, and nothing else: it never sees a replication record, only the
 * numbers the caller supplies, so it can be tested exhaustively on its own.
 */
public final class MajorityQuorum {

    private MajorityQuorum() {}

    /**
     * The largest value that a majority of {@code voters} have reached, given each voter's acknowledged
     * value (an index, a read round). 0 for an empty voter set.
     */
    public static long committed(Collection<String> voters, ToLongFunction<String> acked) {
        int n = voters.size();
        if (n == 0) {
            return 0;
        }
        long[] values = new long[n];
        int i = 0;
        for (String v : voters) {
            values[i++] = acked.applyAsLong(v);
        }
        Arrays.sort(values);
        // Sorted ascending, the quorum-th largest value is the one a majority has reached.
        return values[n - (n / 2 + 1)];
    }

    /** The state of an election given the votes received so far (absent voters have not answered). */
    public static VoteResult result(Collection<String> voters, Map<String, Boolean> votes) {
        int granted = 0;
        int rejected = 0;
        for (String v : voters) {
            Boolean vote = votes.get(v);
            if (vote == null) {
                continue;
            }
            if (vote) {
                granted++;
            } else {
                rejected++;
            }
        }
        int quorum = voters.size() / 2 + 1;
        if (granted >= quorum) {
            return VoteResult.WON;
        }
        if (rejected >= quorum || voters.size() - rejected < quorum) {
            return VoteResult.LOST;
        }
        return VoteResult.PENDING;
    }
}
