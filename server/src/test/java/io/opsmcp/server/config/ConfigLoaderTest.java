package io.opsmcp.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    @Test
    void defaultsAreSafe() {
        ServerSettings s = new ConfigLoader(Map.of()).load(null, ConfigLoader.Overrides.NONE).server();
        assertThat(s.transport()).isEqualTo("stdio");
        assertThat(s.bind()).isEqualTo("127.0.0.1");
        assertThat(s.port()).isEqualTo(8080);
        assertThat(s.toolsets()).containsExactly("hosts");
        assertThat(s.resultMaxBytes()).isEqualTo(65536);
        assertThat(s.sandbox()).isFalse();
    }

    @Test
    void fileThenEnvironmentThenFlags() throws Exception {
        Path file = dir.resolve("ops-mcp.yaml");
        Files.writeString(file, """
                transport: http
                http: {port: 9000, allowed_hosts: [ops.internal:443]}
                limits: {result_max_bytes: 4096, tool_timeout_seconds: 5}
                identity: {id: alice, roles: [sre]}
                hosts: [{name: web-1}]
                """);
        OpsMcpConfig c = new ConfigLoader(Map.of("OPS_MCP_PORT", "9100", "OPS_MCP_TOOLSETS", "hosts, conformance"))
                .load(file, new ConfigLoader.Overrides(null, null, 9200, null, true, null, null));
        ServerSettings s = c.server();
        assertThat(s.transport()).isEqualTo("http");
        assertThat(s.port()).isEqualTo(9200);
        assertThat(s.toolsets()).containsExactly("hosts", "conformance");
        assertThat(s.allowedHosts()).containsExactly("ops.internal:443");
        assertThat(s.toolTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.principalId()).isEqualTo("alice");
        assertThat(s.principalRoles()).containsExactly("sre");
        assertThat(s.sandbox()).isTrue();
        assertThat(c.tree().get("hosts").get(0).get("name").asString()).isEqualTo("web-1");
        assertThat(c.source()).isEqualTo(file.toString());
    }

    @Test
    void configPathFromEnvironment() throws Exception {
        Path file = dir.resolve("x.yaml");
        Files.writeString(file, "logging: {level: debug}\n");
        assertThat(new ConfigLoader(Map.of("OPS_MCP_CONFIG", file.toString())).load(null, ConfigLoader.Overrides.NONE)
                .server().logLevel()).isEqualTo("debug");
    }

    @Test
    void refusesNonLoopbackBindUntilAuthenticationExists() {
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(null,
                new ConfigLoader.Overrides("http", "0.0.0.0", null, null, null, null, null)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("http.bind: refusing to bind 0.0.0.0 without authentication")
                .hasMessageContaining("loopback");
        assertThat(new ConfigLoader(Map.of()).load(null,
                new ConfigLoader.Overrides("http", "::1", null, null, null, null, null)).server().bind()).isEqualTo("::1");
    }

    @Test
    void errorsNameTheSettingAndTheRule() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "http: {port: eighty}\n");
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(file, ConfigLoader.Overrides.NONE))
                .hasMessage("http.port: must be an integer (got 'eighty')");
        assertThatThrownBy(() -> new ConfigLoader(Map.of("OPS_MCP_TRANSPORT", "carrier-pigeon")).load(null, ConfigLoader.Overrides.NONE))
                .hasMessageContaining("transport: must be one of stdio, http");
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(dir.resolve("missing.yaml"), ConfigLoader.Overrides.NONE))
                .hasMessageContaining("does not exist");
        Files.writeString(file, "http: [unclosed\n");
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(file, ConfigLoader.Overrides.NONE))
                .hasMessageContaining("is not valid YAML");
        assertThatThrownBy(() -> new ConfigLoader(Map.of("OPS_MCP_RESULT_MAX_BYTES", "10")).load(null, ConfigLoader.Overrides.NONE))
                .hasMessageContaining("limits.result_max_bytes: must be at least 1024");
    }

    @Test
    void listsFromEnvironmentAreCommaSeparated() {
        assertThat(new ConfigLoader(Map.of("OPS_MCP_ROLES", "sre,sre-lead")).load(null, ConfigLoader.Overrides.NONE)
                .server().principalRoles()).containsExactlyInAnyOrder("sre", "sre-lead");
        assertThat(new ConfigLoader(Map.of()).load(null, new ConfigLoader.Overrides(null, null, null, List.of(), null, null, null))
                .server().toolsets()).isEmpty();
    }
}
