package io.opsmcp.guard.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsmcp.guard.policy.EmbeddedPolicyEngine.ReloadOutcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/** A bundle directory: reloads on change, keeps the last good bundle when a change does not compile. */
class EmbeddedPolicyEngineReloadTest {

    @TempDir
    Path dir;

    private void write(String revision, String rego) throws IOException {
        Files.createDirectories(dir.resolve("opsmcp"));
        Files.writeString(dir.resolve(".manifest"), "{\"revision\": \"" + revision + "\", \"roots\": [\"opsmcp\"]}");
        Files.writeString(dir.resolve("opsmcp/authz.rego"), rego);
    }

    private static String policy(boolean allow, String reason) {
        return "package opsmcp.authz\n\nimport rego.v1\n\n" + "decision := {\"allow\": " + allow + ", \"reasons\": [\""
                + reason + "\"]}\n";
    }

    private static Decision decide(PolicyEngine engine) {
        return engine.decide(JsonMapper.builder().build().readTree("{\"principal\": {\"id\": \"alice\"}}"));
    }

    @Test
    void reloadsAChangedBundleAndKeepsTheLastGoodOneWhenTheNextDoesNotCompile() throws IOException {
        write("r1", policy(true, "first"));
        try (EmbeddedPolicyEngine engine = EmbeddedPolicyEngine.directory(dir, Duration.ZERO)) {
            assertThat(decide(engine)).isEqualTo(new Decision.Allow(List.of("first")));
            assertThat(engine.reload()).isEqualTo(ReloadOutcome.UNCHANGED);

            write("r2", policy(false, "second"));
            assertThat(engine.reload()).isEqualTo(ReloadOutcome.RELOADED);
            assertThat(decide(engine)).isEqualTo(new Decision.Deny(List.of("second")));
            assertThat(engine.description())
                    .isEqualTo("embedded (bundle " + dir.toAbsolutePath().normalize() + ", revision r2)");

            write("r3", "package opsmcp.authz\n\ndecision := {\"allow\": true\n");
            assertThat(engine.reload()).isEqualTo(ReloadOutcome.KEPT_LAST_GOOD);
            assertThat(decide(engine)).isEqualTo(new Decision.Deny(List.of("second")));
            assertThat(engine.description()).endsWith("revision r2)");
            // The broken contents are not retried (nor logged) on every poll.
            assertThat(engine.reload()).isEqualTo(ReloadOutcome.UNCHANGED);

            write("r4", policy(true, "fourth"));
            assertThat(engine.reload()).isEqualTo(ReloadOutcome.RELOADED);
            assertThat(decide(engine)).isEqualTo(new Decision.Allow(List.of("fourth")));
        }
    }

    @Test
    void dataChangesAreReloadedToo() throws IOException {
        write(
                "r1",
                "package opsmcp.authz\n\nimport rego.v1\n\n"
                        + "decision := {\"allow\": data.opsmcp.open, \"reasons\": [\"from data\"]}\n");
        Files.writeString(dir.resolve("opsmcp/data.json"), "{\"open\": true}");
        try (EmbeddedPolicyEngine engine = EmbeddedPolicyEngine.directory(dir, Duration.ZERO)) {
            assertThat(decide(engine)).isInstanceOf(Decision.Allow.class);

            Files.writeString(dir.resolve("opsmcp/data.json"), "{\"open\": false}");

            assertThat(engine.reload()).isEqualTo(ReloadOutcome.RELOADED);
            assertThat(decide(engine)).isInstanceOf(Decision.Deny.class);
        }
    }

    @Test
    void aBundleThatDoesNotCompileAtStartIsRefusedNamingTheFile() throws IOException {
        write("r1", "package opsmcp.authz\n\ndecision := {\n");

        assertThatThrownBy(() -> EmbeddedPolicyEngine.directory(dir, Duration.ZERO))
                .isInstanceOf(EmbeddedPolicyEngine.BundleException.class)
                .hasMessageContaining("opsmcp/authz.rego");
    }

    @Test
    void aDecisionNotMatchingTheSchemaIsAnInvalidDecision() throws IOException {
        write("r1", "package opsmcp.authz\n\ndecision := {\"allow\": \"yes\"}\n");
        try (EmbeddedPolicyEngine engine = EmbeddedPolicyEngine.directory(dir, Duration.ZERO)) {
            assertThat(decide(engine)).isEqualTo(Decision.deny(Decision.INVALID));
        }
    }

    @Test
    void anUndefinedDecisionIsAnInvalidDecision() throws IOException {
        write("r1", "package opsmcp.authz\n\nimport rego.v1\n\ndecision := {\"allow\": true} if input.never\n");
        try (EmbeddedPolicyEngine engine = EmbeddedPolicyEngine.directory(dir, Duration.ZERO)) {
            assertThat(decide(engine)).isEqualTo(Decision.deny(Decision.INVALID));
        }
    }

    @Test
    void anEvaluationErrorMeansTheEngineIsUnavailable() throws IOException {
        write(
                "r1",
                "package opsmcp.authz\n\nimport rego.v1\n\n"
                        + "decision := {\"allow\": true, \"reasons\": [\"a\"]} if input.principal\n"
                        + "decision := {\"allow\": false, \"reasons\": [\"b\"]} if input.principal\n");
        try (EmbeddedPolicyEngine engine = EmbeddedPolicyEngine.directory(dir, Duration.ZERO)) {
            assertThat(decide(engine)).isEqualTo(Decision.deny(Decision.UNAVAILABLE));
        }
    }
}
