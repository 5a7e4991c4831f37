package io.raftkit.examples.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadOptionsTest {

    @Test
    void theDefaultsMatchTheBenchmarkContract() {
        LoadOptions o = LoadOptions.parse(new String[0]);
        assertThat(o.nodes()).isEqualTo(3);
        assertThat(o.payload()).isEqualTo(100);
        assertThat(o.concurrency()).containsExactly(1, 16, 128);
        assertThat(o.fsync()).isTrue();
        assertThat(o.sessions()).isFalse();
        assertThat(o.jfr()).isFalse();
        assertThat(o.jfrDir()).isNull();
    }

    @Test
    void everyOptionIsParsed() {
        LoadOptions o = LoadOptions.parse(new String[] {"--nodes", "5", "--payload", "1024", "--concurrency", "2, 4",
                "--duration", "500ms", "--warmup", "1m", "--fsync", "false", "--data-dir", "some/dir", "--sessions", "true",
                "--jfr", "true", "--jfr-dir", "recordings"});
        assertThat(o.nodes()).isEqualTo(5);
        assertThat(o.payload()).isEqualTo(1024);
        assertThat(o.concurrency()).isEqualTo(List.of(2, 4));
        assertThat(o.duration()).isEqualTo(Duration.ofMillis(500));
        assertThat(o.warmup()).isEqualTo(Duration.ofMinutes(1));
        assertThat(o.fsync()).isFalse();
        assertThat(o.dataDir()).hasToString("some/dir");
        assertThat(o.sessions()).isTrue();
        assertThat(o.jfr()).isTrue();
        assertThat(o.jfrDir()).hasToString("recordings");
    }

    @Test
    void jfrAloneRecordsToTheCurrentDirectory() {
        LoadOptions o = LoadOptions.parse(new String[] {"--jfr", "true"});
        assertThat(o.jfr()).isTrue();
        assertThat(o.jfrDir()).isNull();
        assertThat(LoadOptions.parse(new String[] {"--jfr", "false"}).jfr()).isFalse();
    }

    @Test
    void theUsageNamesTheNewOptions() {
        assertThat(LoadOptions.USAGE).contains("[--jfr true|false]", "[--jfr-dir DIR]");
    }

    @Test
    void badValuesAreNamed() {
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--nodes", "0"})).hasMessageContaining("--nodes");
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--duration", "ten"})).hasMessageContaining("--duration");
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--fsync", "yes"})).hasMessageContaining("--fsync");
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--sessions", "on"}))
                .hasMessage("--sessions takes true or false, got on");
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--jfr", "X"}))
                .hasMessage("--jfr takes true or false, got X");
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--jfr", "false", "--jfr-dir", "d"}))
                .hasMessage("--jfr-dir is used only with --jfr true");
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--jfr-dir", "d"}))
                .hasMessage("--jfr-dir is used only with --jfr true");
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--jfr"})).hasMessage("missing value after --jfr");
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--color", "red"})).hasMessageContaining("unknown option");
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--payload"})).hasMessageContaining("missing value");
    }
}
