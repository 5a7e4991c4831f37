package io.raftkit.core.quorum;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JointQuorumTest {

    private static final List<String> OLD = List.of("a", "b", "c");
    private static final List<String> NEW = List.of("c", "d", "e");

    @Test
    void anIndexIsCommittedOnlyWhenEachSetHasAMajority() {
        Map<String, Long> match = Map.of("a", 9L, "b", 9L, "c", 5L, "d", 3L, "e", 1L);
        // Old set: a majority at 9; new set: a majority only at 3.
        assertThat(JointQuorum.committed(NEW, OLD, id -> match.getOrDefault(id, 0L))).isEqualTo(3);
        assertThat(JointQuorum.committed(OLD, List.of(), id -> match.getOrDefault(id, 0L))).isEqualTo(9);
    }

    @Test
    void anElectionIsWonInBothSetsOrLostInEither() {
        assertThat(JointQuorum.result(NEW, OLD, Map.of("a", true, "b", true))).isEqualTo(VoteResult.PENDING);
        assertThat(JointQuorum.result(NEW, OLD, Map.of("a", true, "b", true, "c", true, "d", true)))
                .isEqualTo(VoteResult.WON);
        assertThat(JointQuorum.result(NEW, OLD, Map.of("a", true, "b", true, "d", false, "e", false)))
                .isEqualTo(VoteResult.LOST);
    }

    @Test
    void activityNeedsAMajorityOfEachSet() {
        assertThat(JointQuorum.active(NEW, OLD, id -> id.equals("a") || id.equals("b"))).isFalse();
        assertThat(JointQuorum.active(NEW, OLD, id -> !id.equals("e"))).isTrue();
        assertThat(JointQuorum.active(OLD, List.of(), id -> id.equals("a") || id.equals("b"))).isTrue();
    }
}
