package io.opsmcp.tools.gitlab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.core.tool.ToolsetSandbox;
import io.opsmcp.toolkit.testing.ToolHarness;
import io.opsmcp.tools.gitlab.sandbox.GitLabSandboxProvider;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The toolset through the toolkit's {@link ToolHarness} (schema validation as the gateway does it, {@code dry_run}
 * read into the context): the one {@code since} grammar, dry run from the context, ids beyond 2^31.
 */
class ToolkitDialectTest {

    @TempDir
    static Path dir;

    static ToolsetSandbox sandbox;
    static OpsToolset toolset;
    static ToolHarness harness;

    @BeforeAll
    static void start() {
        sandbox = new GitLabSandboxProvider().start(dir.resolve("sandbox"));
        toolset = new GitLabToolsetProvider().create(sandbox.configure(Calls.args("{\"toolsets\":[\"gitlab\"]}")), dir);
        harness = new ToolHarness(toolset);
    }

    @AfterAll
    static void stop() {
        toolset.close();
        sandbox.close();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "30min",
                "30m",
                "2h",
                "1h30m",
                "3d",
                "PT30M",
                "2025-11-20",
                "2025-11-20T09:00:00Z",
                "2025-11-20T09:00:00+01:00"
            })
    void sinceTakesTheOneGrammar(String since) {
        ToolResult r = harness.call(
                "gitlab_commits", "{\"project\":\"shop/checkout\",\"ref\":\"main\",\"since\":\"" + since + "\"}");
        assertThat(r.error()).isFalse();
        assertThat(r.text()).contains(" since ");
        r = harness.call("gitlab_pipelines", "{\"project\":\"shop/checkout\",\"since\":\"" + since + "\"}");
        assertThat(r.error()).isFalse();
    }

    @Test
    void aMalformedSinceNamesTheArgumentAndTheGrammar() {
        assertThatThrownBy(() -> harness.call(
                        "gitlab_commits", "{\"project\":\"shop/checkout\",\"ref\":\"main\",\"since\":\"yesterday\"}"))
                .isInstanceOf(ToolException.class)
                .hasMessageContaining("since");
        assertThatThrownBy(() -> Calls.call(
                        toolset,
                        "gitlab_commits",
                        "{\"project\":\"shop/checkout\",\"ref\":\"main\",\"since\":\"yesterday\"}"))
                .isInstanceOf(ToolException.class)
                .hasMessageStartingWith("since: must be a duration like 90s");
    }

    @Test
    void dryRunComesFromTheContextAndSendsNothing() {
        ToolResult r = harness.call(
                "gitlab_retry_pipeline", "{\"project\":\"shop/checkout\",\"pipeline_id\":1003,\"dry_run\":true}");
        assertThat(r.structuredContent().get("dry_run").asBoolean()).isTrue();
        assertThat(r.structuredContent().get("instance").asString()).isEqualTo("sandbox");
        assertThat(r.structuredContent().get("project").asString()).isEqualTo("shop/checkout");
        assertThat(r.structuredContent().get("destructive").asBoolean()).isFalse();
        assertThat(r.text()).startsWith("Dry run (nothing was changed): retry pipeline #1003 on main");
    }

    @Test
    void idsBeyondIntAreAccepted() {
        // gitlab.com job ids are past 2^31: the id is valid, the (simulated) instance does not know it
        assertThatThrownBy(
                        () -> harness.call("gitlab_job_log", "{\"project\":\"shop/checkout\",\"job_id\":9000000001}"))
                .isInstanceOf(ToolException.class)
                .extracting(e -> ((ToolException) e).kind())
                .isEqualTo(ToolException.Kind.NOT_FOUND);
    }
}
