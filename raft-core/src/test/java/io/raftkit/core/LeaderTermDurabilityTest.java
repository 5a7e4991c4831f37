package io.raftkit.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.core.message.AppendRequest;
import io.raftkit.core.message.Heartbeat;
import io.raftkit.testkit.memory.InMemoryLogStorage;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Regression for seed 12 of the first membership campaign: a leader elected by its own vote alone (a
 * group of one voter with a learner) sent its entries before its new term was durable; it crashed,
 * came back at the old term, was elected in the same term again and appended other entries at the same
 * index and term, which a learner already held: two different entries at one (index, term).
 */
class LeaderTermDurabilityTest {

    @Test
    void aLeaderElectedByItsOwnVoteSendsNothingBeforeItsTermIsDurable() {
        Configuration oneVoterAndALearner = new Configuration(Set.of("n1"), Set.of(), Set.of("n2"), Map.of());
        InMemoryLogStorage disk = new InMemoryLogStorage();
        RaftCore n1 = new RaftCore("n1", oneVoterAndALearner, disk, RaftConfig.defaults(), 1);
        n1.campaign();
        Ready r = n1.ready();
        assertThat(n1.role()).isEqualTo(RaftRole.LEADER);
        assertThat(r.hardState().term()).isEqualTo(1);
        assertThat(r.mustSync()).isTrue();
        assertThat(r.messages()).as("sent before the term is durable").noneMatch(m -> m instanceof AppendRequest);
        assertThat(r.messagesAfterPersist()).anyMatch(m -> m instanceof AppendRequest a && a.to().equals("n2"));

        // Once its no-op (written with the term) is durable, the leader sends at once again.
        disk.append(r.entries());
        disk.saveHardState(r.hardState());
        n1.persisted(r.lastEntry().index(), r.lastEntry().term());
        n1.ready();
        n1.tick();
        Ready next = n1.ready();
        assertThat(next.messages()).anyMatch(m -> m instanceof Heartbeat h && h.to().equals("n2"));
    }
}
