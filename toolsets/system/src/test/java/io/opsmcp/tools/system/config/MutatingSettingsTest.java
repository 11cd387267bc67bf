package io.opsmcp.tools.system.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code host_changes:} bound to records: defaults, and errors naming the key and the rule. */
class MutatingSettingsTest {

    private static MutatingSettings parse(String json) {
        JsonNode settings = JsonMapper.builder().build().readTree(json);
        return MutatingSettings.parse(settings);
    }

    @Test
    void absentSectionIsTheDefault() {
        assertThat(parse("{}")).isEqualTo(MutatingSettings.DEFAULT);
        assertThat(parse("{\"host_changes\": {\"sudo\": true}}"))
                .isEqualTo(new MutatingSettings(true, false, Duration.ofSeconds(60), 262_144));
    }

    @Test
    void execSettingsAreRead() {
        assertThat(parse("{\"host_changes\": {\"exec\": {\"enabled\": true, \"timeout_seconds\": 5,"
                        + " \"max_output_bytes\": 2048}}}"))
                .isEqualTo(new MutatingSettings(false, true, Duration.ofSeconds(5), 2048));
    }

    @Test
    void aMisspeltKeyIsNamedWithTheValidOnes() {
        assertThatThrownBy(() -> parse("{\"host_changes\": {\"exec\": {\"enabled\": true, \"timout_seconds\": 5}}}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("host_changes.exec.timout_seconds: unknown setting; valid: enabled, max_output_bytes, "
                        + "timeout_seconds");
        assertThatThrownBy(() -> parse("{\"host_changes\": {\"sudoo\": true}}"))
                .hasMessage("host_changes.sudoo: unknown setting; valid: accounts, exec, sudo");
    }

    @Test
    void aWrongTypeOrRangeNamesThePath() {
        assertThatThrownBy(() -> parse("{\"host_changes\": {\"sudo\": \"maybe\"}}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("host_changes.sudo: must be");
        assertThatThrownBy(() -> parse("{\"host_changes\": {\"exec\": {\"timeout_seconds\": 0}}}"))
                .hasMessage("host_changes.exec.timeout_seconds: must be a whole number 1..3600");
        assertThatThrownBy(() -> parse("{\"host_changes\": []}")).hasMessage("host_changes: must be a mapping");
    }
}
