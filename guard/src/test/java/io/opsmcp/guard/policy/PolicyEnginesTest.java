package io.opsmcp.guard.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsmcp.core.config.InvalidConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The {@code policy:} settings: defaults, both engines, and errors that name the setting. */
class PolicyEnginesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dataDir;

    private PolicyEngine create(String json) {
        JsonNode settings = json == null ? null : JSON.readTree(json);
        return PolicyEngines.create(settings, dataDir);
    }

    @Test
    void defaultIsTheEmbeddedEngineOnTheShippedBundle() {
        try (PolicyEngine engine = create(null)) {
            assertThat(engine.description()).startsWith("embedded (bundle classpath:opsmcp-bundle");
        }
        try (PolicyEngine engine = create("{\"engine\": \"embedded\"}")) {
            assertThat(engine.description()).startsWith("embedded (bundle classpath:opsmcp-bundle");
        }
    }

    @Test
    void relativeBundleDirIsResolvedAgainstTheDataDir() throws IOException {
        Files.createDirectories(dataDir.resolve("policy/opsmcp"));
        Files.writeString(
                dataDir.resolve("policy/opsmcp/authz.rego"),
                "package opsmcp.authz\n\ndecision := {\"allow\": false, \"reasons\": [\"closed\"]}\n");
        try (PolicyEngine engine = create("{\"bundle_dir\": \"policy\", \"reload_interval_ms\": 0}")) {
            assertThat(engine.description())
                    .contains(dataDir.resolve("policy").toString())
                    .endsWith("revision none)");
        }
    }

    @Test
    void opaEngineWithUrlAndTimeout() {
        try (PolicyEngine engine = create(
                "{\"engine\": \"opa\", \"opa\": {\"url\": \"http://127.0.0.1:8181\"," + " \"timeout_ms\": 250}}")) {
            assertThat(engine.description()).isEqualTo("opa http://127.0.0.1:8181 (timeout 250 ms)");
        }
        try (PolicyEngine engine = create("{\"engine\": \"opa\", \"opa\": {\"url\": \"http://opa:8181\"}}")) {
            assertThat(engine.description()).endsWith("(timeout 500 ms)");
        }
    }

    @Test
    void errorsNameTheSetting() {
        assertThatThrownBy(() -> create("{\"engine\": \"cedar\"}"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("policy.engine: must be embedded or opa (got 'cedar')");
        assertThatThrownBy(() -> create("{\"engine\": \"opa\"}"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith("policy.opa.url: required when policy.engine is opa");
        assertThatThrownBy(() -> create("{\"engine\": \"opa\", \"opa\": {\"url\": \"ftp://x\"}}"))
                .hasMessageStartingWith("policy.opa.url: must be an http(s) URL");
        assertThatThrownBy(() -> create("{\"engine\": \"opa\", \"opa\": {\"url\": \"http://x\", \"timeout_ms\": 0}}"))
                .hasMessage("policy.opa.timeout_ms: must be an integer from 1 to 60000 (got 0)");
        assertThatThrownBy(() -> create("{\"engine\": \"opa\", \"opa\": {\"url\": \"http://x\", \"timeout\": 5}}"))
                .hasMessage("policy.opa.timeout: unknown setting (known: timeout_ms, url)");
        assertThatThrownBy(() -> create("{\"bundle\": \"/x\"}"))
                .hasMessageStartingWith("policy.bundle: unknown setting");
        assertThatThrownBy(() -> create("{\"bundle_dir\": \"missing\"}"))
                .hasMessageStartingWith("policy.bundle_dir: the bundle at ")
                .hasMessageEndingWith("is not a directory");
        assertThatThrownBy(
                        () -> create("{\"engine\": \"opa\", \"bundle_dir\": \"/x\", \"opa\": {\"url\": \"http://x\"}}"))
                .hasMessageStartingWith("policy.bundle_dir: only used with policy.engine: embedded");
    }
}
