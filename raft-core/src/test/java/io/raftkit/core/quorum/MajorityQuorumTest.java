package io.raftkit.core.quorum;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MajorityQuorumTest {

    @Test
    void theCommittedIndexIsTheHighestValueAMajorityHasReached() {
        Map<String, Long> acked = Map.of("a", 5L, "b", 3L, "c", 9L);
        assertThat(MajorityQuorum.committed(List.of("a", "b", "c"), acked::get)).isEqualTo(5);
        Map<String, Long> five = Map.of("a", 1L, "b", 7L, "c", 7L, "d", 2L, "e", 9L);
        assertThat(MajorityQuorum.committed(List.of("a", "b", "c", "d", "e"), five::get)).isEqualTo(7);
        assertThat(MajorityQuorum.committed(List.of("a"), id -> 4L)).isEqualTo(4);
        assertThat(MajorityQuorum.committed(List.of(), id -> 4L)).isZero();
    }

    @Test
    void anEvenGroupNeedsMoreThanHalf() {
        Map<String, Long> acked = Map.of("a", 10L, "b", 10L, "c", 1L, "d", 1L);
        assertThat(MajorityQuorum.committed(List.of("a", "b", "c", "d"), acked::get)).isEqualTo(1);
    }

    @Test
    void anElectionIsWonByAMajorityLostByAMajorityAndOtherwisePending() {
        List<String> voters = List.of("a", "b", "c", "d", "e");
        assertThat(MajorityQuorum.result(voters, Map.of("a", true, "b", true))).isEqualTo(VoteResult.PENDING);
        assertThat(MajorityQuorum.result(voters, Map.of("a", true, "b", true, "c", true))).isEqualTo(VoteResult.WON);
        assertThat(MajorityQuorum.result(voters, Map.of("a", true, "b", false, "c", false))).isEqualTo(VoteResult.PENDING);
        assertThat(MajorityQuorum.result(voters, Map.of("a", true, "b", false, "c", false, "d", false)))
                .isEqualTo(VoteResult.LOST);
        assertThat(MajorityQuorum.result(List.of("a"), Map.of("a", true))).isEqualTo(VoteResult.WON);
        assertThat(MajorityQuorum.result(voters, Map.of("x", true, "y", true, "z", true))).isEqualTo(VoteResult.PENDING);
    }
}
