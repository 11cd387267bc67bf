package io.opsmcp.tools.gitlab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.tools.gitlab.sandbox.GitLabSandbox;
import io.opsmcp.tools.gitlab.sandbox.GitLabSandboxProvider;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The sandbox through the toolset, as the server wires it: the sandbox provider's start, configure, create. */
class SandboxTest {

    @TempDir
    static Path dir;

    static GitLabSandbox sandbox;
    static OpsToolset toolset;

    @BeforeAll
    static void start() {
        GitLabToolsetProvider provider = new GitLabToolsetProvider();
        sandbox = (GitLabSandbox) new GitLabSandboxProvider().start(dir.resolve("sandbox"));
        JsonNode settings = sandbox.configure(Calls.args("{\"toolsets\":[\"gitlab\"]}"));
        toolset = provider.create(settings, dir);
    }

    @AfterAll
    static void stop() {
        toolset.close();
        sandbox.close();
    }

    @Test
    void analysisOfTheFailedPipelineFindsTheMissingPackageAndTheTestFailure() {
        ToolResult r = Calls.call(
                toolset, "gitlab_pipeline_failure_analysis", "{\"project\":\"shop/checkout\",\"pipeline_id\":1003}");
        JsonNode jobs = r.structuredContent().get("jobs");
        assertThat(jobs).hasSize(2);
        JsonNode unit = jobs.get(0);
        assertThat(unit.at("/job/name").asString()).isEqualTo("unit-tests");
        assertThat(unit.get("category").asString()).isEqualTo("missing-python-package");
        assertThat(unit.at("/extracted/package").asString()).isEqualTo("requests");
        assertThat(unit.get("evidence").toString()).contains("E   ModuleNotFoundError: No module named 'requests'");
        assertThat(unit.at("/next_step/tool").asString()).isEqualTo("gitlab_propose_fix");
        assertThat(unit.at("/next_step/arguments/pipeline_id").asLong()).isEqualTo(1003);
        // it failed and passed on retry in an earlier pipeline (1001): history, not evidence in this pipeline, so
        // an assertion failure stays a test failure and is not sent to a retry
        JsonNode integration = jobs.get(1);
        assertThat(integration.at("/job/name").asString()).isEqualTo("integration-tests");
        assertThat(integration.get("category").asString()).isEqualTo("test-failure");
        assertThat(integration.at("/next_step/tool").asString()).isEqualTo("gitlab_job_log");
    }

    @Test
    void proposeFixDryRunShowsTheRequirementsDiffPinnedByConstraints() {
        ToolResult r = Calls.call(
                toolset, "gitlab_propose_fix", "{\"project\":\"shop/checkout\",\"pipeline_id\":1003,\"dry_run\":true}");
        assertThat(r.error()).isFalse();
        assertThat(r.text())
                .contains("--- a/requirements.txt", "+++ b/requirements.txt", "+requests==2.32.3", " pydantic==2.7.1");
        assertThat(r.structuredContent().get("dry_run").asBoolean()).isTrue();
        assertThat(r.structuredContent().at("/after/branch").asString())
                .isEqualTo("ops-mcp/fix-1003-missing-python-package");
    }

    @Test
    void jobStoppedAtTheJobTimeoutIsATestTimeoutWithAProposedFix() {
        ToolResult r = Calls.call(
                toolset, "gitlab_pipeline_failure_analysis", "{\"project\":\"shop/checkout\",\"pipeline_id\":1004}");
        JsonNode job = r.structuredContent().get("jobs").get(0);
        assertThat(job.at("/job/name").asString()).isEqualTo("e2e-tests");
        assertThat(job.get("category").asString()).isEqualTo("test-timeout");
        assertThat(job.at("/extracted/timeout").asString()).isEqualTo("1h0m0s");
        assertThat(job.get("evidence").toString())
                .contains("ERROR: Job failed: execution took longer than 1h0m0s seconds");
        assertThat(job.at("/next_step/tool").asString()).isEqualTo("gitlab_propose_fix");
        assertThat(job.at("/next_step/arguments/job_id").asLong()).isEqualTo(5042);
    }

    @Test
    void proposeFixDryRunAddsTwiceTheJobTimeoutToTheJob() {
        ToolResult r = Calls.call(
                toolset, "gitlab_propose_fix", "{\"project\":\"shop/checkout\",\"pipeline_id\":1004,\"dry_run\":true}");
        assertThat(r.error()).isFalse();
        assertThat(r.text()).contains("at most 4h").endsWith("""
                --- a/.gitlab-ci.yml
                +++ b/.gitlab-ci.yml
                @@ -39,3 +39,4 @@
                   script:
                     - pip install -r requirements.txt -r requirements-dev.txt
                     - pytest -q tests/e2e --browser chromium
                +  timeout: 2h
                """);
        assertThat(r.structuredContent().at("/after/branch").asString()).isEqualTo("ops-mcp/fix-1004-test-timeout");
        assertThat(r.structuredContent().at("/after/merge_request_title").asString())
                .isEqualTo("Fix e2e-tests: raise timeout of job e2e-tests in .gitlab-ci.yml to 2h");
    }

    @Test
    void jobLogIsCleanedAndTailed() {
        ToolResult r = Calls.call(
                toolset, "gitlab_job_log", "{\"project\":\"shop/checkout\",\"job_id\":5022,\"tail_lines\":5}");
        assertThat(r.text()).doesNotContain("\u001B").doesNotContain("section_");
        assertThat(r.structuredContent().get("lines")).hasSize(5);
        assertThat(r.text()).contains("ERROR: Job failed: exit code 2");
    }

    @Test
    void jobLogGrepShowsMatchesWithContext() {
        ToolResult r = Calls.call(
                toolset,
                "gitlab_job_log",
                "{\"project\":\"shop/checkout\",\"job_id\":5022,\"grep\":\"ModuleNotFound\",\"context_lines\":1}");
        JsonNode lines = r.structuredContent().get("lines");
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1).get("match").asBoolean()).isTrue();
        assertThat(lines.get(0).get("text").asString()).isEqualTo("    import requests");
    }

    @Test
    void pipelineShowsStagesCommitAndMergeRequest() {
        ToolResult r = Calls.call(toolset, "gitlab_pipeline", "{\"project\":\"shop/checkout\",\"pipeline_id\":1001}");
        JsonNode out = r.structuredContent();
        assertThat(out.at("/stages/0/name").asString()).isEqualTo("build");
        assertThat(out.at("/stages/1/jobs").toString()).contains("\"retries\":1");
        assertThat(out.at("/commit/title").asString()).isEqualTo("Add retry to inventory client");
        ToolResult r3 = Calls.call(toolset, "gitlab_pipeline", "{\"project\":\"shop/checkout\",\"pipeline_id\":1003}");
        assertThat(r3.structuredContent().at("/merge_request/iid").asLong()).isEqualTo(7);
    }

    @Test
    void otherReadToolsAnswer() {
        assertThat(Calls.call(toolset, "gitlab_project", "{\"project\":42}").text())
                .contains("default branch: main");
        assertThat(Calls.call(toolset, "gitlab_pipelines", "{\"project\":\"shop/checkout\",\"ref\":\"main\"}")
                        .structuredContent()
                        .get("pipelines"))
                .hasSize(4);
        assertThat(Calls.call(toolset, "gitlab_commits", "{\"project\":\"shop/checkout\",\"ref\":\"main\"}")
                        .structuredContent()
                        .get("commits"))
                .hasSize(3);
        assertThat(Calls.call(
                                toolset,
                                "gitlab_compare",
                                "{\"project\":\"shop/checkout\",\"from\":\"4b7d2a91\",\"to\":\"main\"}")
                        .text())
                .contains("M checkout/payment/client.py  +2 -1");
        assertThat(Calls.call(toolset, "gitlab_merge_requests", "{\"project\":\"shop/checkout\"}")
                        .structuredContent()
                        .get("merge_requests"))
                .hasSize(1);
        ToolResult mr = Calls.call(toolset, "gitlab_merge_request", "{\"project\":\"shop/checkout\",\"iid\":7}");
        assertThat(mr.text()).contains("pipeline: #1003 failed", "changes: 1 file(s), +2 -1");
    }

    @Test
    void descriptorNamesInstanceProjectEnvironment() {
        ActionDescriptor d = Calls.tool(toolset, "gitlab_job_log")
                .describe(Calls.args("{\"project\":\"shop/checkout\",\"job_id\":5022}"), Calls.ctx());
        assertThat(d.provider()).isEqualTo("gitlab");
        assertThat(d.kind()).isEqualTo("gitlab:job");
        assertThat(d.environment()).isEqualTo("prod");
        assertThat(d.name()).isEqualTo("shop/checkout");
        assertThat(d.ids()).containsEntry("instance", "sandbox").containsEntry("job_id", "5022");
    }

    @Test
    void projectOutsideThePatternsIsRefused() {
        assertThatThrownBy(() -> Calls.call(toolset, "gitlab_project", "{\"project\":\"platform/dns\"}"))
                .isInstanceOf(ToolException.class)
                .hasMessageContaining("outside the projects configured")
                .extracting(e -> ((ToolException) e).kind())
                .isEqualTo(ToolException.Kind.FORBIDDEN);
    }
}
