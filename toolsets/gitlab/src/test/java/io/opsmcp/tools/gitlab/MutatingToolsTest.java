package io.opsmcp.tools.gitlab;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.tools.gitlab.config.GitLabSettings;
import io.opsmcp.tools.gitlab.sandbox.RunnerTrace;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mutating tools against WireMock: dry runs send nothing, real calls send one request, fixes avoid protected branches. */
class MutatingToolsTest {

    static final String P = "/api/v4/projects/shop%2Fcheckout";
    WireMockServer gitlab;
    OpsToolset toolset;

    @BeforeEach
    void start(@TempDir Path dir) {
        gitlab = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        gitlab.start();
        String yaml = "gitlab: {instances: [{name: main, base_url: 'http://127.0.0.1:" + gitlab.port() + "',"
                + " token_env: T, projects: [{pattern: 'shop/*', environment: prod}]}]}";
        GitLabSettings settings = GitLabSettings.parse(
                tools.jackson.dataformat.yaml.YAMLMapper.builder().build().readTree(yaml), n -> "tok", dir);
        toolset = GitLabToolsetProvider.create(settings, Clock.systemUTC(), d -> {});
        gitlab.stubFor(get(urlPathEqualTo(P + "/jobs/77")).willReturn(okJson("""
                {"id":77,"name":"integration-tests","stage":"test","status":"failed","ref":"main",
                 "failure_reason":"script_failure","pipeline":{"id":900},"web_url":"http://gl/jobs/77"}""")));
        gitlab.stubFor(post(urlPathEqualTo(P + "/jobs/77/retry"))
                .willReturn(aResponse()
                        .withStatus(201)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":78,\"status\":\"pending\"}")));
    }

    @AfterEach
    void stop() {
        gitlab.stop();
    }

    @Test
    void retryJobDryRunSendsNothingAndDescribesTheChange() {
        ActionDescriptor d = Calls.tool(toolset, "gitlab_retry_job")
                .describe(Calls.args("{\"project\":\"shop/checkout\",\"job_id\":77}"), Calls.ctx());
        assertThat(d.change().summary())
                .isEqualTo("retry job 77 (integration-tests, failed) of pipeline #900 on main" + " in shop/checkout");
        assertThat(d.ids())
                .containsEntry("ref", "main")
                .containsEntry("pipeline_id", "900")
                .containsEntry("job_id", "77");
        ToolResult dry = Calls.call(
                toolset, "gitlab_retry_job", "{\"project\":\"shop/checkout\",\"job_id\":77,\"dry_run\":true}");
        assertThat(dry.structuredContent().get("dry_run").asBoolean()).isTrue();
        gitlab.verify(0, postRequestedFor(anyUrl()));
        ToolResult real = Calls.call(toolset, "gitlab_retry_job", "{\"project\":\"shop/checkout\",\"job_id\":77}");
        assertThat(real.text()).contains("new job 78 is pending");
        gitlab.verify(1, postRequestedFor(urlPathEqualTo(P + "/jobs/77/retry")));
    }

    @Test
    void mutatingToolsAreNotReadOnlyAndCancelIsDestructive() {
        assertThat(toolset.tools().stream()
                        .filter(t -> !t.definition().readOnly())
                        .map(t -> t.definition().name()))
                .containsExactlyInAnyOrder(
                        "gitlab_retry_job",
                        "gitlab_retry_pipeline",
                        "gitlab_cancel_pipeline",
                        "gitlab_create_merge_request",
                        "gitlab_comment_merge_request",
                        "gitlab_propose_fix");
        assertThat(Calls.tool(toolset, "gitlab_cancel_pipeline").definition().destructive())
                .isTrue();
        assertThat(toolset.tools().stream()
                        .filter(t -> t.definition().readOnly())
                        .count())
                .isEqualTo(9);
    }

    private void failedPipelineWithMissingPackage(String protectedPattern) {
        gitlab.stubFor(get(urlPathEqualTo(P))
                .willReturn(okJson(
                        "{\"id\":42,\"path_with_namespace\":\"shop/checkout\"," + "\"default_branch\":\"main\"}")));
        gitlab.stubFor(get(urlPathEqualTo(P + "/pipelines/900"))
                .willReturn(
                        okJson("{\"id\":900,\"status\":\"failed\",\"ref\":\"main\",\"sha\":\"abc\",\"tag\":false}")));
        gitlab.stubFor(get(urlPathEqualTo(P + "/pipelines/900/jobs"))
                .willReturn(okJson(
                        "[{\"id\":77,\"name\":\"unit\",\"stage\":\"test\",\"status\":\"failed\",\"retried\":false}]")));
        gitlab.stubFor(get(urlPathEqualTo(P + "/pipelines")).willReturn(okJson("[]")));
        gitlab.stubFor(get(urlPathEqualTo(P + "/jobs/77/trace"))
                .willReturn(aResponse()
                        .withBody(RunnerTrace.of(
                                "python:3.12",
                                java.util.List.of("$ pytest", "E   ModuleNotFoundError: No module named 'yaml'"),
                                2))));
        gitlab.stubFor(get(urlPathEqualTo(P + "/protected_branches"))
                .willReturn(okJson("[{\"name\":\"main\"},{\"name\":\"" + protectedPattern + "\"}]")));
        gitlab.stubFor(get(urlPathMatching(P + "/repository/branches/.*"))
                .willReturn(aResponse().withStatus(404)));
        gitlab.stubFor(get(urlPathEqualTo(P + "/repository/files/requirements.txt"))
                .willReturn(okJson("{\"encoding\":\"base64\",\"content\":\"Zmxhc2s9PTMuMC4zCg==\"}")));
        gitlab.stubFor(get(urlPathMatching(P + "/repository/files/.*"))
                .atPriority(6)
                .willReturn(aResponse().withStatus(404)));
        gitlab.stubFor(post(urlPathEqualTo(P + "/repository/commits"))
                .willReturn(aResponse()
                        .withStatus(201)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":\"def\"}")));
        gitlab.stubFor(post(urlPathEqualTo(P + "/merge_requests"))
                .willReturn(aResponse()
                        .withStatus(201)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"iid\":5,\"web_url\":\"http://gl/mr/5\"}")));
    }

    @Test
    void proposeFixCommitsToANewBranchAndOpensAMergeRequest() {
        failedPipelineWithMissingPackage("release/*");
        ToolResult r = Calls.call(toolset, "gitlab_propose_fix", "{\"project\":\"shop/checkout\",\"pipeline_id\":900}");
        assertThat(r.text()).contains("+PyYAML", "Opened merge request !5");
        gitlab.verify(
                1,
                postRequestedFor(urlPathEqualTo(P + "/repository/commits"))
                        .withRequestBody(matchingJsonPath(
                                "$.branch",
                                com.github.tomakehurst.wiremock.client.WireMock.equalTo(
                                        "ops-mcp/fix-900-missing-python-package")))
                        .withRequestBody(matchingJsonPath(
                                "$.start_branch", com.github.tomakehurst.wiremock.client.WireMock.equalTo("main"))));
        gitlab.verify(
                1,
                postRequestedFor(urlPathEqualTo(P + "/merge_requests"))
                        .withRequestBody(matchingJsonPath(
                                "$.target_branch", com.github.tomakehurst.wiremock.client.WireMock.equalTo("main"))));
    }

    private void failedPipelineWithTimeout(List<String> output, String ciYaml, String ciYamlOnBranch) {
        failedPipelineWithMissingPackage("release/*");
        gitlab.stubFor(get(urlPathEqualTo(P + "/jobs/77/trace"))
                .willReturn(aResponse().withBody(RunnerTrace.of("python:3.12", output, null))));
        gitlab.stubFor(get(urlPathEqualTo(P + "/repository/files/.gitlab-ci.yml"))
                .withQueryParam("ref", equalTo("abc"))
                .willReturn(okJson(file(ciYaml))));
        gitlab.stubFor(get(urlPathEqualTo(P + "/repository/files/.gitlab-ci.yml"))
                .withQueryParam("ref", equalTo("main"))
                .willReturn(okJson(file(ciYamlOnBranch))));
    }

    private static String file(String content) {
        return "{\"encoding\":\"base64\",\"content\":\""
                + Base64.getEncoder().encodeToString(content.getBytes(StandardCharsets.UTF_8)) + "\"}";
    }

    static final String CI_WITH_TIMEOUT = """
            stages: [test]
            unit:   # the fast suite
              stage: test
              timeout: 30m  # raised in 2024
              script:
                - pytest
            lint:
              script: [ruff check .]
            """;
    static final List<String> JOB_TIMEOUT = List.of(
            "$ pytest",
            "....",
            "WARNING: step_script could not run to completion because the timeout was exceeded.",
            "ERROR: Job failed: execution took longer than 30m0s seconds");

    @Test
    void proposeFixDoublesAnExistingJobTimeoutOnANewBranchAndCitesTheJob() {
        failedPipelineWithTimeout(JOB_TIMEOUT, CI_WITH_TIMEOUT, CI_WITH_TIMEOUT);
        ToolResult r = Calls.call(toolset, "gitlab_propose_fix", "{\"project\":\"shop/checkout\",\"pipeline_id\":900}");
        assertThat(r.text())
                .contains(
                        "-  timeout: 30m  # raised in 2024",
                        "+  timeout: 1h  # raised in 2024",
                        "Opened merge request !5");
        String after = CI_WITH_TIMEOUT.replace("timeout: 30m", "timeout: 1h");
        gitlab.verify(
                1,
                postRequestedFor(urlPathEqualTo(P + "/repository/commits"))
                        .withRequestBody(matchingJsonPath("$.branch", equalTo("ops-mcp/fix-900-test-timeout")))
                        .withRequestBody(matchingJsonPath("$.start_branch", equalTo("main")))
                        .withRequestBody(matchingJsonPath("$.actions[0].action", equalTo("update")))
                        .withRequestBody(matchingJsonPath("$.actions[0].file_path", equalTo(".gitlab-ci.yml")))
                        .withRequestBody(matchingJsonPath("$.actions[0].content", equalTo(after))));
        gitlab.verify(
                1,
                postRequestedFor(urlPathEqualTo(P + "/merge_requests"))
                        .withRequestBody(matchingJsonPath("$.source_branch", equalTo("ops-mcp/fix-900-test-timeout")))
                        .withRequestBody(matchingJsonPath("$.target_branch", equalTo("main")))
                        .withRequestBody(matchingJsonPath(
                                "$.title", equalTo("Fix unit: raise timeout of job unit in .gitlab-ci.yml to 1h")))
                        .withRequestBody(matchingJsonPath("$.description", containing("Job [unit #77]")))
                        .withRequestBody(matchingJsonPath(
                                "$.description",
                                containing("ERROR: Job failed: execution took longer than 30m0s seconds")))
                        .withRequestBody(matchingJsonPath("$.description", containing("at most 4h"))));
    }

    @Test
    void aTestFrameworkTimeoutGetsNoMechanicalFix() {
        failedPipelineWithTimeout(
                List.of(
                        "$ pytest",
                        "E   Failed: Timeout >60.0s",
                        "FAILED tests/test_pay.py::test_x",
                        "ERROR: Job failed: exit code 1"),
                CI_WITH_TIMEOUT,
                CI_WITH_TIMEOUT);
        ToolResult analysis = Calls.call(
                toolset, "gitlab_pipeline_failure_analysis", "{\"project\":\"shop/checkout\",\"pipeline_id\":900}");
        assertThat(analysis.structuredContent().at("/jobs/0/category").asString())
                .isEqualTo("test-timeout");
        assertThat(analysis.structuredContent().at("/jobs/0/next_step/tool").asString())
                .isEqualTo("gitlab_job_log");
        assertThatThrownBy(() -> Calls.call(
                        toolset, "gitlab_propose_fix", "{\"project\":\"shop/checkout\",\"pipeline_id\":900}"))
                .isInstanceOf(ToolException.class)
                .hasMessageContaining("no failed job with a mechanical fix")
                .hasMessageContaining("unit=test-timeout");
        gitlab.verify(0, postRequestedFor(anyUrl()));
    }

    @Test
    void proposeFixRefusesWhenTheCiFileChangedOnTheBranchSinceThePipeline() {
        failedPipelineWithTimeout(JOB_TIMEOUT, CI_WITH_TIMEOUT, CI_WITH_TIMEOUT.replace("30m", "45m"));
        assertThatThrownBy(() -> Calls.call(
                        toolset,
                        "gitlab_propose_fix",
                        "{\"project\":\"shop/checkout\",\"pipeline_id\":900,\"dry_run\":true}"))
                .isInstanceOf(ToolException.class)
                .hasMessageContaining(".gitlab-ci.yml on main changed since");
        gitlab.verify(0, postRequestedFor(anyUrl()));
    }

    @Test
    void proposeFixRefusesABranchMatchingAProtectedPattern() {
        failedPipelineWithMissingPackage("ops-mcp/*");
        assertThatThrownBy(() -> Calls.call(
                        toolset, "gitlab_propose_fix", "{\"project\":\"shop/checkout\",\"pipeline_id\":900}"))
                .isInstanceOf(ToolException.class)
                .hasMessageContaining("protected-branch pattern ops-mcp/*");
        gitlab.verify(0, postRequestedFor(anyUrl()));
    }
}
