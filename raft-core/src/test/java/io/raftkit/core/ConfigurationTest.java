package io.raftkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigurationTest {

    private static final Configuration JOINT = new Configuration(Set.of("n1", "n2", "n4"), Set.of("n1", "n2", "n3"),
            Set.of("n5"), Map.of("n1", "10.0.0.1:7001", "n5", "10.0.0.5:7001"));

    @Test
    void encodingRoundTripsEveryPart() {
        assertThat(Configuration.decode(JOINT.encode())).isEqualTo(JOINT);
        assertThat(Configuration.decode(Configuration.EMPTY.encode())).isEqualTo(Configuration.EMPTY);
        assertThat(new String(JOINT.encode(), StandardCharsets.UTF_8)).isEqualTo("""
                raftkit-configuration 2
                voters n1 n2 n4
                outgoing n1 n2 n3
                learners n5
                address n1 10.0.0.1:7001
                address n5 10.0.0.5:7001
                """);
    }

    @Test
    void theFirstFormatStillDecodes() {
        assertThat(Configuration.decode("n1,n2,n3".getBytes(StandardCharsets.UTF_8))).isEqualTo(Configuration.of("n1", "n2", "n3"));
        assertThat(Configuration.decode(new byte[0])).isEqualTo(Configuration.EMPTY);
    }

    @Test
    void badInputIsRefusedWithTheReason() {
        assertThatThrownBy(() -> Configuration.decode("raftkit-configuration 2\nmembers n1\n".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("unknown configuration line 'members n1'");
        assertThatThrownBy(() -> new Configuration(Set.of("n1"), Set.of(), Set.of("n1"), Map.of()))
                .hasMessageContaining("n1 is both a voter and a learner");
        assertThatThrownBy(() -> Configuration.of("a b")).hasMessageContaining("'a b'");
        assertThatThrownBy(() -> new Configuration(Set.of("n1"), Set.of(), Set.of(), Map.of("n1", "host :1")))
                .hasMessageContaining("address of n1");
    }

    @Test
    void aJointConfigurationCountsEveryVoterOfBothSets() {
        assertThat(JOINT.joint()).isTrue();
        assertThat(JOINT.voterList()).containsExactly("n1", "n2", "n3", "n4");
        assertThat(JOINT.isVoter("n3")).isTrue();
        assertThat(JOINT.isVoter("n5")).isFalse();
        assertThat(JOINT.isMember("n5")).isTrue();
        assertThat(JOINT.members()).containsExactly("n1", "n2", "n3", "n4", "n5");
    }

    @Test
    void enteringAndLeavingJointKeepsTheAddressesOfWhoStays() {
        Configuration old = new Configuration(Set.of("n1", "n2", "n3"), Set.of(), Set.of(),
                Map.of("n1", "a:1", "n2", "b:1", "n3", "c:1"));
        Configuration target = new Configuration(Set.of("n1", "n2", "n4"), Set.of(), Set.of(), Map.of("n4", "d:1"));
        Configuration joint = old.enterJoint(target);
        assertThat(joint.voters()).containsExactly("n1", "n2", "n4");
        assertThat(joint.outgoing()).containsExactly("n1", "n2", "n3");
        assertThat(joint.addresses()).containsOnlyKeys("n1", "n2", "n3", "n4");
        Configuration left = joint.leaveJoint();
        assertThat(left.joint()).isFalse();
        assertThat(left.voters()).containsExactly("n1", "n2", "n4");
        assertThat(left.addresses()).containsOnlyKeys("n1", "n2", "n4");
    }
}
