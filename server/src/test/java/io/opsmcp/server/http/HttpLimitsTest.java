package io.opsmcp.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsmcp.server.config.ConfigException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** {@code http.*} limits: defaults, overrides, and errors that name the setting and the rule. */
class HttpLimitsTest {

    private static JsonNode yaml(String text) {
        return YAMLMapper.builder().build().readTree(text);
    }

    @Test
    void defaultsAndOverrides() {
        assertThat(HttpLimits.fromConfig(yaml("{}"))).isEqualTo(HttpLimits.DEFAULTS);
        assertThat(HttpLimits.DEFAULTS.maxRequestBytes()).isEqualTo(1024 * 1024);
        HttpLimits custom = HttpLimits.fromConfig(yaml("http: {max_request_bytes: 4096, read_timeout_seconds: '3',"
                + " max_connections: 50, max_pending_bodies_per_client: 2}"));
        assertThat(custom).isEqualTo(new HttpLimits(4096, Duration.ofSeconds(3), 50, 2));
    }

    @Test
    void invalidValuesNameTheSettingAndTheRule() {
        assertThatThrownBy(() -> HttpLimits.fromConfig(yaml("http: {max_request_bytes: lots}")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("http.max_request_bytes: must be an integer between 1024 and 1073741824 (got 'lots')");
        assertThatThrownBy(() -> HttpLimits.fromConfig(yaml("http: {max_request_bytes: 10}")))
                .hasMessageStartingWith("http.max_request_bytes: must be an integer between 1024");
        assertThatThrownBy(() -> HttpLimits.fromConfig(yaml("http: {read_timeout_seconds: 0}")))
                .hasMessageStartingWith("http.read_timeout_seconds:");
        assertThatThrownBy(() -> HttpLimits.fromConfig(yaml("http: {max_pending_bodies_per_client: [1]}")))
                .hasMessageStartingWith("http.max_pending_bodies_per_client:");
    }
}
