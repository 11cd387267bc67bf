package io.opsmcp.tools.deployments;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolResult;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * ops_deployment_origin against WireMock speaking ECS (AWS JSON 1.1, as SDK 2.41 sends it) and GitLab REST v4
 * on one loopback server, through {@link DeploymentsToolsetProvider#create}.
 */
class WireMockOriginTest {

    static final String ECS = "AmazonEC2ContainerServiceV20141113.";
    static final String ARN = "arn:aws:ecs:eu-west-1:123456789012:";
    static final String P = "/api/v4/projects/shop%2Fcheckout";
    static final String SHA = "4f2a9c1d3e5b7a9c1e3f5a7b9d1c3e5f7a9b1d3e";
    static final String TOKEN = "test-token-123";

    @TempDir
    Path dir;

    WireMockServer wm;
    OpsToolset toolset;

    @BeforeEach
    void start() throws Exception {
        wm = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        wm.start();
        Path token = dir.resolve("token");
        Files.writeString(token, TOKEN);
        String base = "http://127.0.0.1:" + wm.port();
        JsonNode settings =
                Calls.JSON.readTree("""
                {"aws": {"max_attempts": 1, "accounts": [{"name": "shop-staging", "account_id": "123456789012",
                   "environment": "staging", "default_region": "eu-west-1", "endpoint_url": "%s",
                   "credentials": {"type": "static", "access_key_id": "AKIDTEST", "secret_access_key": "test"}}]},
                 "gitlab": {"max_retries": 0, "instances": [{"name": "main", "base_url": "%s", "token_file": "%s",
                   "projects": [{"pattern": "shop/*", "environment": "staging"}]}]}}
                """.formatted(base, base, token.toString().replace("\\", "\\\\")));
        toolset = new DeploymentsToolsetProvider().create(settings, dir);
    }

    @AfterEach
    void stop() {
        toolset.close();
        wm.stop();
    }

    @Test
    void withoutTagsTheImageTagIsTriedAsCommitShaPrefix() {
        ecs("registry.gitlab.example.com/shop/checkout:4f2a9c1", "[]", "[]");
        gitlab("/repository/commits/4f2a9c1", """
                {"id": "%s", "short_id": "4f2a9c1d", "title": "Add payment retries", "author_name": "Ana Lopez",
                 "committed_date": "2025-11-21T10:31:00.000+00:00", "web_url": "https://gitlab.example/c"}""".formatted(SHA));
        gitlab("/pipelines", """
                [{"id": 4712, "sha": "%1$s", "status": "failed", "ref": "refs/merge-requests/123/head",
                  "created_at": "2025-11-21T10:32:00.000Z"},
                 {"id": 4711, "sha": "%1$s", "status": "success", "ref": "main", "source": "push",
                  "created_at": "2025-11-21T10:32:00.000Z", "finished_at": "2025-11-21T10:38:00.000Z"}]""".formatted(SHA));
        gitlab("/repository/commits/" + SHA + "/merge_requests", """
                [{"iid": 120, "title": "Draft: retries", "state": "closed", "author": {"name": "Ana Lopez"}},
                 {"iid": 123, "title": "Add payment retries", "state": "merged", "author": {"name": "Ana Lopez"},
                  "merged_at": "2025-11-21T10:30:00.000Z"}]""");

        ToolResult r = Calls.call(toolset, "ops_deployment_origin", "{\"cluster\":\"shop\",\"service\":\"checkout\"}");

        assertThat(r.text())
                .isEqualTo("checkout (task definition shop-checkout:7, image "
                        + "registry.gitlab.example.com/shop/checkout:4f2a9c1) was deployed from commit 4f2a9c1d 'Add payment "
                        + "retries' (Ana Lopez, 2025-11-21 10:31 UTC) of shop/checkout, built by pipeline 4711 (success, "
                        + "2025-11-21 10:38 UTC), from MR !123 'Add payment retries' by Ana Lopez (merged).\n"
                        + "Commit: https://gitlab.example/c\n"
                        + "Sources: commit from image tag 4f2a9c1; project from the image repository; pipeline: newest "
                        + "successful pipeline of the commit.");
        JsonNode out = r.structuredContent();
        assertThat(out.get("container").asString()).isEqualTo("checkout");
        assertThat(out.at("/sources/project").isMissingNode()).isTrue(); // no source: absent, never null
        assertThat(out.at("/pipeline/id").asLong()).isEqualTo(4711);
        assertThat(out.at("/merge_request/iid").asLong()).isEqualTo(123);
        wm.verify(getRequestedFor(urlPathEqualTo(P + "/pipelines")).withQueryParam("sha", equalTo(SHA)));
        wm.verify(getRequestedFor(urlPathEqualTo(P + "/repository/commits/4f2a9c1"))
                .withHeader("PRIVATE-TOKEN", equalTo(TOKEN)));
    }

    @Test
    void nothingFoundSaysWhatWasLookedUp() {
        String tags = "[{\"key\": \"gitlab.project\", \"value\": \"shop/checkout\"},"
                + " {\"key\": \"gitlab.commit\", \"value\": \"0123abcd0123abcd0123abcd0123abcd0123abcd\"}]";
        ecs("123456789012.dkr.ecr.eu-west-1.amazonaws.com/checkout:1.8.2", "[]", tags);
        wm.stubFor(get(urlPathMatching("/api/v4/.*"))
                .atPriority(9)
                .willReturn(aResponse()
                        .withStatus(404)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"message\": \"404 Commit Not Found\"}")));

        ToolResult r = Calls.call(toolset, "ops_deployment_origin", "{\"cluster\":\"shop\",\"service\":\"checkout\"}");

        assertThat(r.error()).isFalse();
        JsonNode out = r.structuredContent();
        assertThat(out.get("found").asBoolean()).isFalse();
        assertThat(out.has("commit")).isFalse(); // not found: absent, never null
        assertThat(out.get("notes")).isEmpty();
        assertThat(r.text())
                .startsWith("Origin of checkout (task definition shop-checkout:7, image "
                        + "123456789012.dkr.ecr.eu-west-1.amazonaws.com/checkout:1.8.2) not found. Looked up:")
                .contains(
                        "- task definition shop-checkout:7 tags: gitlab.project=shop/checkout, gitlab.commit=0123abcd")
                .contains("- service tags: no gitlab.* tags")
                .contains("- commit 0123abcd0123abcd0123abcd0123abcd0123abcd (task definition tag gitlab.commit) in "
                        + "shop/checkout: not found");
    }

    @Test
    void nothingToLookUpWithoutTagsAndWithANonShaImageTag() {
        ecs("123456789012.dkr.ecr.eu-west-1.amazonaws.com/checkout:latest", "[]", "[]");

        ToolResult r = Calls.call(toolset, "ops_deployment_origin", "{\"cluster\":\"shop\",\"service\":\"checkout\"}");

        assertThat(r.structuredContent().get("found").asBoolean()).isFalse();
        assertThat(r.text())
                .contains("- image tag latest: not a commit sha (7 to 40 hex digits), and no gitlab.commit tag");
        wm.verify(0, getRequestedFor(urlPathMatching("/api/v4/.*")));
    }

    @Test
    void projectOutsideTheGitLabScopeIsRefused() {
        String tags = "[{\"key\": \"gitlab.project\", \"value\": \"finance/payroll\"},"
                + " {\"key\": \"gitlab.commit\", \"value\": \"" + SHA + "\"}]";
        ecs("123456789012.dkr.ecr.eu-west-1.amazonaws.com/checkout:4f2a9c1", tags, "[]");

        assertThatThrownBy(() ->
                        Calls.call(toolset, "ops_deployment_origin", "{\"cluster\":\"shop\",\"service\":\"checkout\"}"))
                .isInstanceOfSatisfying(
                        ToolException.class, e -> assertThat(e.kind()).isEqualTo(ToolException.Kind.FORBIDDEN))
                .hasMessageContaining("service tag gitlab.project names project finance/payroll")
                .hasMessageContaining("outside the projects configured for GitLab instance main");
        wm.verify(0, getRequestedFor(urlPathMatching("/api/v4/.*")));
    }

    @Test
    void regionTheAccountDoesNotAllowIsRefusedBeforeAnyCall() {
        assertThatThrownBy(() -> Calls.call(
                        toolset,
                        "ops_deployment_origin",
                        "{\"cluster\":\"shop\",\"service\":\"checkout\",\"region\":\"us-east-1\"}"))
                .isInstanceOfSatisfying(
                        ToolException.class, e -> assertThat(e.kind()).isEqualTo(ToolException.Kind.FORBIDDEN))
                .hasMessageContaining("region us-east-1 is not allowed for account shop-staging");
        assertThat(wm.getAllServeEvents()).isEmpty();
    }

    /** DescribeServices and DescribeTaskDefinition (both must ask for TAGS) for service checkout on shop-checkout:7. */
    private void ecs(String image, String serviceTags, String taskDefinitionTags) {
        wm.stubFor(post(urlPathEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo(ECS + "DescribeServices"))
                .withRequestBody(matchingJsonPath("$.include[0]", equalTo("TAGS")))
                .willReturn(amzJson("""
                        {"services": [{"serviceArn": "%1$sservice/shop/checkout", "serviceName": "checkout",
                          "status": "ACTIVE", "taskDefinition": "%1$stask-definition/shop-checkout:6",
                          "deployments": [
                            {"status": "PRIMARY", "taskDefinition": "%1$stask-definition/shop-checkout:7",
                             "rolloutState": "COMPLETED"},
                            {"status": "ACTIVE", "taskDefinition": "%1$stask-definition/shop-checkout:6"}],
                          "tags": %2$s}], "failures": []}""".formatted(ARN, serviceTags))));
        wm.stubFor(post(urlPathEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo(ECS + "DescribeTaskDefinition"))
                .withRequestBody(matchingJsonPath("$.taskDefinition", equalTo(ARN + "task-definition/shop-checkout:7")))
                .withRequestBody(matchingJsonPath("$.include[0]", equalTo("TAGS")))
                .willReturn(amzJson("""
                        {"taskDefinition": {"taskDefinitionArn": "%1$stask-definition/shop-checkout:7",
                          "family": "shop-checkout", "revision": 7, "containerDefinitions": [
                            {"name": "log-router", "image": "amazon/aws-for-fluent-bit:2.32.0", "essential": false},
                            {"name": "checkout", "image": "%2$s", "essential": true}]},
                         "tags": %3$s}""".formatted(ARN, image, taskDefinitionTags))));
    }

    private void gitlab(String suffix, String body) {
        wm.stubFor(get(urlPathEqualTo(P + suffix))
                .withHeader("PRIVATE-TOKEN", equalTo(TOKEN))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody(body)));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder amzJson(String body) {
        return aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "application/x-amz-json-1.1")
                .withBody(body);
    }
}
