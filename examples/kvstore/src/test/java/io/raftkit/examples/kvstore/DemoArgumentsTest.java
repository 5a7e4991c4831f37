package io.raftkit.examples.kvstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoArgumentsTest {

    @Test
    void defaultsToATemporaryDirectoryAndTheContractPorts() throws UsageException {
        DemoArguments a = DemoArguments.parse(List.of());
        assertThat(a.dataDir()).isNull();
        assertThat(a.httpPort()).isEqualTo(8001);
        assertThat(a.raftPort()).isEqualTo(7001);
    }

    @Test
    void acceptsADataDirectoryAndPorts() throws UsageException {
        DemoArguments a = DemoArguments.parse(List.of("--data-dir", "demo", "--http-port", "9001", "--raft-port=9101"));
        assertThat(a.dataDir()).isEqualTo(Path.of("demo"));
        assertThat(a.httpPort()).isEqualTo(9001);
        assertThat(a.raftPort()).isEqualTo(9101);
    }

    @Test
    void rejectsUnknownOptionsAndOverlappingPorts() {
        assertThatThrownBy(() -> DemoArguments.parse(List.of("--id", "n1"))).hasMessage("unknown option --id");
        assertThatThrownBy(() -> DemoArguments.parse(List.of("--http-port", "7002")))
                .hasMessageContaining("overlap");
        assertThatThrownBy(() -> DemoArguments.parse(List.of("--http-port", "65535")))
                .hasMessageContaining("--http-port must be in 1..65533");
    }
}
