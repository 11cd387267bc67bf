package io.opsmcp.tools.gitlab;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
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

import java.nio.file.Path;
import java.time.Clock;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.tools.gitlab.config.GitLabSettings;
import io.opsmcp.tools.gitlab.sandbox.RunnerTrace;

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
        toolset = GitLabToolsetProvider.create(settings, Clock.systemUTC(), d -> { });
        gitlab.stubFor(get(urlPathEqualTo(P + "/jobs/77")).willReturn(okJson("""
                {"id":77,"name":"integration-tests","stage":"test","status":"failed","ref":"main",
                 "failure_reason":"script_failure","pipeline":{"id":900},"web_url":"http://gl/jobs/77"}""")));
        gitlab.stubFor(post(urlPathEqualTo(P + "/jobs/77/retry")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\":78,\"status\":\"pending\"}")));
    }

    @AfterEach
    void stop() {
        gitlab.stop();
    }

    @Test
    void retryJobDryRunSendsNothingAndDescribesTheChange() {
        ActionDescriptor d = Calls.tool(toolset, "gitlab_retry_job")
                .describe(Calls.args("{\"project\":\"shop/checkout\",\"job_id\":77}"), Calls.ctx());
        assertThat(d.change().summary()).isEqualTo("retry job 77 (integration-tests, failed) of pipeline #900 on main"
                + " in shop/checkout");
        assertThat(d.ids()).containsEntry("ref", "main").containsEntry("pipeline_id", "900").containsEntry("job_id", "77");
        ToolResult dry = Calls.call(toolset, "gitlab_retry_job", "{\"project\":\"shop/checkout\",\"job_id\":77,\"dry_run\":true}");
        assertThat(dry.structuredContent().get("dry_run").asBoolean()).isTrue();
        gitlab.verify(0, postRequestedFor(anyUrl()));
        ToolResult real = Calls.call(toolset, "gitlab_retry_job", "{\"project\":\"shop/checkout\",\"job_id\":77}");
        assertThat(real.text()).contains("new job 78 is pending");
        gitlab.verify(1, postRequestedFor(urlPathEqualTo(P + "/jobs/77/retry")));
    }

    @Test
    void mutatingToolsAreNotReadOnlyAndCancelIsDestructive() {
        assertThat(toolset.tools().stream().filter(t -> !t.definition().readOnly()).map(t -> t.definition().name()))
                .containsExactlyInAnyOrder("gitlab_retry_job", "gitlab_retry_pipeline", "gitlab_cancel_pipeline",
                        "gitlab_create_merge_request", "gitlab_comment_merge_request", "gitlab_propose_fix");
        assertThat(Calls.tool(toolset, "gitlab_cancel_pipeline").definition().destructive()).isTrue();
        assertThat(toolset.tools().stream().filter(t -> t.definition().readOnly()).count()).isEqualTo(9);
    }

    private void failedPipelineWithMissingPackage(String protectedPattern) {
        gitlab.stubFor(get(urlPathEqualTo(P)).willReturn(okJson("{\"id\":42,\"path_with_namespace\":\"shop/checkout\","
                + "\"default_branch\":\"main\"}")));
        gitlab.stubFor(get(urlPathEqualTo(P + "/pipelines/900")).willReturn(okJson(
                "{\"id\":900,\"status\":\"failed\",\"ref\":\"main\",\"sha\":\"abc\",\"tag\":false}")));
        gitlab.stubFor(get(urlPathEqualTo(P + "/pipelines/900/jobs")).willReturn(okJson(
                "[{\"id\":77,\"name\":\"unit\",\"stage\":\"test\",\"status\":\"failed\",\"retried\":false}]")));
        gitlab.stubFor(get(urlPathEqualTo(P + "/pipelines")).willReturn(okJson("[]")));
        gitlab.stubFor(get(urlPathEqualTo(P + "/jobs/77/trace")).willReturn(aResponse().withBody(RunnerTrace.of(
                "python:3.12", java.util.List.of("$ pytest", "E   ModuleNotFoundError: No module named 'yaml'"), 2))));
        gitlab.stubFor(get(urlPathEqualTo(P + "/protected_branches")).willReturn(okJson(
                "[{\"name\":\"main\"},{\"name\":\"" + protectedPattern + "\"}]")));
        gitlab.stubFor(get(urlPathMatching(P + "/repository/branches/.*")).willReturn(aResponse().withStatus(404)));
        gitlab.stubFor(get(urlPathEqualTo(P + "/repository/files/requirements.txt")).willReturn(okJson(
                "{\"encoding\":\"base64\",\"content\":\"Zmxhc2s9PTMuMC4zCg==\"}")));
        gitlab.stubFor(get(urlPathMatching(P + "/repository/files/.*")).atPriority(6)
                .willReturn(aResponse().withStatus(404)));
        gitlab.stubFor(post(urlPathEqualTo(P + "/repository/commits")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\":\"def\"}")));
        gitlab.stubFor(post(urlPathEqualTo(P + "/merge_requests")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"iid\":5,\"web_url\":\"http://gl/mr/5\"}")));
    }

    @Test
    void proposeFixCommitsToANewBranchAndOpensAMergeRequest() {
        failedPipelineWithMissingPackage("release/*");
        ToolResult r = Calls.call(toolset, "gitlab_propose_fix", "{\"project\":\"shop/checkout\",\"pipeline_id\":900}");
        assertThat(r.text()).contains("+PyYAML", "Opened merge request !5");
        gitlab.verify(1, postRequestedFor(urlPathEqualTo(P + "/repository/commits"))
                .withRequestBody(matchingJsonPath("$.branch", com.github.tomakehurst.wiremock.client.WireMock
                        .equalTo("ops-mcp/fix-900-missing-python-package")))
                .withRequestBody(matchingJsonPath("$.start_branch", com.github.tomakehurst.wiremock.client.WireMock
                        .equalTo("main"))));
        gitlab.verify(1, postRequestedFor(urlPathEqualTo(P + "/merge_requests"))
                .withRequestBody(matchingJsonPath("$.target_branch", com.github.tomakehurst.wiremock.client.WireMock
                        .equalTo("main"))));
    }

    @Test
    void proposeFixRefusesABranchMatchingAProtectedPattern() {
        failedPipelineWithMissingPackage("ops-mcp/*");
        assertThatThrownBy(() -> Calls.call(toolset, "gitlab_propose_fix",
                "{\"project\":\"shop/checkout\",\"pipeline_id\":900}"))
                .isInstanceOf(ToolException.class).hasMessageContaining("protected-branch pattern ops-mcp/*");
        gitlab.verify(0, postRequestedFor(anyUrl()));
    }
}
