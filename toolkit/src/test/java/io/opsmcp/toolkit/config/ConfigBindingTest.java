package io.opsmcp.toolkit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ConfigBindingTest {

    record Exec(Boolean enabled, Integer timeoutSeconds) {
        Exec {
            enabled = enabled != null && enabled;
            timeoutSeconds = timeoutSeconds == null ? 60 : timeoutSeconds;
            if (timeoutSeconds < 1 || timeoutSeconds > 3600) {
                throw new IllegalArgumentException("timeout_seconds: must be 1..3600");
            }
        }
    }

    record HostChanges(Boolean sudo, Exec exec, List<String> allowedUnits) {
        HostChanges {
            sudo = sudo != null && sudo;
            exec = exec == null ? new Exec(null, null) : exec;
        }
    }

    private static JsonNode yaml(String json) {
        return JsonMapper.builder().build().readTree(json);
    }

    @Test
    void bindsSnakeCaseKeysAndAppliesDefaults() {
        HostChanges hc = ConfigBinding.bind(
                yaml("{\"sudo\":true,\"exec\":{\"timeout_seconds\":30}}"), "host_changes", HostChanges.class);
        assertThat(hc.sudo()).isTrue();
        assertThat(hc.exec().timeoutSeconds()).isEqualTo(30);
        assertThat(ConfigBinding.bind(null, "host_changes", HostChanges.class)
                        .exec()
                        .timeoutSeconds())
                .isEqualTo(60);
    }

    @Test
    void aMisspeltKeyNamesItselfAndTheValidOnes() {
        assertThatThrownBy(() -> ConfigBinding.bind(
                        yaml("{\"exec\":{\"timout_seconds\":30}}"), "host_changes", HostChanges.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("host_changes.exec.timout_seconds: unknown setting; valid: enabled, timeout_seconds");
        assertThatThrownBy(() -> ConfigBinding.bind(yaml("{\"sudo \":true}"), "host_changes", HostChanges.class))
                .hasMessageStartingWith("host_changes.sudo : unknown setting; valid: allowed_units, exec, sudo");
    }

    record Host(String name, String address) {
        Host {
            if (address == null) {
                throw new IllegalArgumentException("address: is required");
            }
        }
    }

    record Hosts(List<Host> hosts, java.util.Map<String, Host> aliases) {}

    @Test
    void aMisspeltKeyIsReportedBeforeTheRequiredValueItLeftOut() {
        assertThatThrownBy(() -> ConfigBinding.bind(
                        yaml("{\"hosts\":[{\"name\":\"a\",\"address\":\"x\"},"
                                + "{\"name\":\"b\",\"adress\":\"10.0.0.2\"}]}"),
                        "hosts",
                        Hosts.class))
                .hasMessage("hosts.hosts[1].adress: unknown setting; valid: address, name");
        assertThatThrownBy(() ->
                        ConfigBinding.bind(yaml("{\"aliases\":{\"db\":{\"adress\":\"x\"}}}"), "hosts", Hosts.class))
                .hasMessage("hosts.aliases.db.adress: unknown setting; valid: address, name");
        assertThatThrownBy(() -> ConfigBinding.bind(yaml("{\"hosts\":[{\"name\":\"b\"}]}"), "hosts", Hosts.class))
                .hasMessage("hosts.hosts[0].address: is required");
    }

    @Test
    void wrongTypesAndBrokenRulesNameThePath() {
        assertThatThrownBy(() -> ConfigBinding.bind(yaml("{\"sudo\":\"maybe\"}"), "host_changes", HostChanges.class))
                .hasMessageStartingWith("host_changes.sudo: must be a boolean");
        assertThatThrownBy(() -> ConfigBinding.bind(
                        yaml("{\"exec\":{\"timeout_seconds\":0}}"), "host_changes", HostChanges.class))
                .hasMessage("host_changes.exec.timeout_seconds: must be 1..3600");
        assertThatThrownBy(() -> ConfigBinding.bind(yaml("{\"exec\":[1]}"), "host_changes", HostChanges.class))
                .hasMessageStartingWith("host_changes.exec: must be a mapping");
        assertThatThrownBy(() -> ConfigBinding.bind(yaml("[1]"), "host_changes", HostChanges.class))
                .hasMessage("host_changes: must be a mapping");
    }
}
