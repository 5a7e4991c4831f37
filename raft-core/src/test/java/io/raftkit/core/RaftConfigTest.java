package io.raftkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RaftConfigTest {

    @Test
    void theDefaultsAreValid() {
        RaftConfig c = RaftConfig.defaults();
        assertThat(c.electionTicks()).isEqualTo(10);
        assertThat(c.heartbeatTicks()).isEqualTo(1);
        assertThat(c.leaseTicks()).isEqualTo(7);
        // The lease must end before a follower can vote again, with 20% of drift: (T - 1) / lease >= 1.2.
        for (int t = 3; t <= 100; t++) {
            RaftConfig ct = RaftConfig.builder().electionTicks(t).build();
            assertThat((t - 1) / (double) ct.leaseTicks()).as("T=%d", t).isGreaterThanOrEqualTo(1.2);
        }
        assertThat(c.preVote()).isTrue();
        assertThat(c.checkQuorum()).isTrue();
    }

    @Test
    void inconsistentSettingsAreRejectedWithTheSettingNamed() {
        assertThatThrownBy(() -> RaftConfig.builder().electionTicks(1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("electionTicks");
        assertThatThrownBy(() -> RaftConfig.builder().heartbeatTicks(10).build())
                .hasMessageContaining("heartbeatTicks");
        assertThatThrownBy(() -> RaftConfig.builder().leaseTicks(10).build()).hasMessageContaining("leaseTicks");
        assertThatThrownBy(() -> RaftConfig.builder().maxInflightMessages(0).build())
                .hasMessageContaining("maxInflightMessages");
        assertThatThrownBy(() -> RaftConfig.builder().maxAppendBytes(10).maxInflightBytes(5).build())
                .hasMessageContaining("maxInflightBytes");
        assertThatThrownBy(() -> RaftConfig.builder().maxApplyBytes(0).build()).hasMessageContaining("maxApplyBytes");
    }

    @Test
    void aNodeWithoutAConfigurationWaitsToBeAddedAndNeverCampaigns() {
        RaftCore joining = new RaftCore("n4", Configuration.EMPTY, new io.raftkit.testkit.memory.InMemoryLogStorage(),
                RaftConfig.defaults(), 1);
        joining.campaign();
        for (int i = 0; i < 5 * RaftConfig.defaults().electionTicks(); i++) {
            joining.tick();
        }
        assertThat(joining.role()).isEqualTo(RaftRole.FOLLOWER);
        assertThat(joining.term()).isZero();
    }

    @Test
    void aLogWithEntriesButNoConfigurationIsRejected() {
        var storage = new io.raftkit.testkit.memory.InMemoryLogStorage();
        storage.append(java.util.List.of(Entry.noop(1, 1)));
        assertThatThrownBy(() -> new RaftCore("n1", Configuration.EMPTY, storage, RaftConfig.defaults(), 1))
                .hasMessageContaining("no configuration with a voter");
    }

    @Test
    void configurationsEncodeAndDecode() {
        Configuration c = Configuration.of("n3", "n1", "n2");
        assertThat(c.voterList()).containsExactly("n1", "n2", "n3");
        assertThat(Configuration.decode(c.encode())).isEqualTo(c);
        assertThat(c.quorum()).isEqualTo(2);
        assertThatThrownBy(() -> Configuration.of("a,b")).isInstanceOf(IllegalArgumentException.class);
    }
}
