package io.opsmcp.tools.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolResult;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Error classes and paging over each service's real wire protocol, with plain WireMock stubs: ECS and Logs in
 * AWS JSON 1.1, ELBv2/EC2/STS in the query protocol.
 */
class WireProtocolErrorTest {

    static final String ECS = "AmazonEC2ContainerServiceV20141113.";
    static final String JSON11 = "application/x-amz-json-1.1";
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    WireMockServer wm;
    AwsToolset toolset;

    @BeforeEach
    void start() {
        wm = new WireMockServer(
                WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        wm.start();
        toolset = Fixtures.toolset(Fixtures.args("""
                {"aws": {"max_attempts": 3, "accounts": [{"name": "prod", "account_id": "123456789012",
                  "environment": "prod", "default_region": "eu-west-1", "regions": ["eu-west-1", "eu-central-1"],
                  "endpoint_url": "http://127.0.0.1:%d",
                  "credentials": {"type": "static", "access_key_id": "AKIAIOSFODNN7EXAMPLE",
                                  "secret_access_key": "%s"}}]}}
                """.formatted(wm.port(), SECRET)), List.of());
    }

    @AfterEach
    void stop() {
        toolset.close();
        wm.stop();
    }

    private void ecs(String operation, int status, String body) {
        wm.stubFor(post(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo(ECS + operation))
                .willReturn(aResponse()
                        .withStatus(status)
                        .withHeader("Content-Type", JSON11)
                        .withBody(body)));
    }

    private static ToolException failure(Runnable call) {
        try {
            call.run();
        } catch (ToolException e) {
            return e;
        }
        throw new AssertionError("expected a ToolException");
    }

    @Test
    void accessDeniedNamesTheMissingIamAction() {
        ecs(
                "ListClusters",
                400,
                "{\"__type\":\"AccessDeniedException\",\"message\":\"User: arn:aws:sts::123456789012:"
                        + "assumed-role/ops/x is not authorized to perform: ecs:ListClusters on resource: *\"}");
        ToolException e = failure(() -> Fixtures.call(toolset, "ecs_list_clusters", "{}"));
        assertThat(e.kind()).isEqualTo(ToolException.Kind.FORBIDDEN);
        assertThat(e.getMessage())
                .contains("lack the IAM permission ecs:ListClusters")
                .contains("account prod (123456789012), region eu-west-1");
    }

    @Test
    void queryProtocolAccessDeniedNamesTheElbAction() {
        ecs(
                "DescribeServices",
                200,
                "{\"services\":[{\"serviceName\":\"web\",\"status\":\"ACTIVE\",\"desiredCount\":1,"
                        + "\"runningCount\":1,\"pendingCount\":0,\"taskDefinition\":\"arn:aws:ecs:eu-west-1:123456789012:"
                        + "task-definition/web:1\",\"loadBalancers\":[{\"targetGroupArn\":\"arn:aws:elasticloadbalancing:eu-west-1:"
                        + "123456789012:targetgroup/web/abc\",\"containerName\":\"web\",\"containerPort\":80}],\"deployments\":[],"
                        + "\"events\":[]}],\"failures\":[]}");
        wm.stubFor(post(urlEqualTo("/"))
                .withRequestBody(containing("Action=DescribeTargetHealth"))
                .willReturn(aResponse()
                        .withStatus(403)
                        .withHeader("Content-Type", "text/xml")
                        .withBody(
                                "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not authorized"
                                        + "</Message></Error><RequestId>1</RequestId></ErrorResponse>")));
        ToolException e = failure(
                () -> Fixtures.call(toolset, "ecs_service_health", "{\"cluster\":\"shop\",\"service\":\"web\"}"));
        assertThat(e.kind()).isEqualTo(ToolException.Kind.FORBIDDEN);
        assertThat(e.getMessage()).contains("elasticloadbalancing:DescribeTargetHealth");
    }

    @Test
    void throttlingIsRetriedWithBackoffThenSucceeds() {
        wm.stubFor(post(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo(ECS + "ListClusters"))
                .inScenario("throttle")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", JSON11)
                        .withBody("{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}"))
                .willSetStateTo("ok"));
        wm.stubFor(post(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo(ECS + "ListClusters"))
                .inScenario("throttle")
                .whenScenarioStateIs("ok")
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", JSON11)
                        .withBody("{\"clusterArns\":[]}")));
        ToolResult r = Fixtures.call(toolset, "ecs_list_clusters", "{}");
        assertThat(r.error()).isFalse();
        wm.verify(2, postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(ECS + "ListClusters")));
    }

    @Test
    void persistentServerErrorsStopAfterTheConfiguredAttempts() {
        ecs("ListClusters", 500, "{\"__type\":\"ServerException\",\"message\":\"internal\"}");
        ToolException e = failure(() -> Fixtures.call(toolset, "ecs_list_clusters", "{}"));
        assertThat(e.kind()).isEqualTo(ToolException.Kind.UNAVAILABLE);
        assertThat(e.getMessage()).contains("server error").contains("HTTP 500");
        wm.verify(3, postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(ECS + "ListClusters")));
    }

    @Test
    void notFoundSaysWhatAndWhere() {
        ecs("DescribeServices", 400, "{\"__type\":\"ClusterNotFoundException\",\"message\":\"Cluster not found.\"}");
        ToolException e = failure(
                () -> Fixtures.call(toolset, "ecs_service_health", "{\"cluster\":\"nope\",\"service\":\"web\"}"));
        assertThat(e.kind()).isEqualTo(ToolException.Kind.NOT_FOUND);
        assertThat(e.getMessage())
                .contains("service web in cluster nope")
                .contains("account prod (123456789012)")
                .contains("eu-west-1");

        wm.resetAll();
        ecs(
                "DescribeServices",
                200,
                "{\"services\":[],\"failures\":[{\"arn\":\"arn:aws:ecs:eu-west-1:123456789012:"
                        + "service/shop/ghost\",\"reason\":\"MISSING\"}]}");
        ToolException missing = failure(
                () -> Fixtures.call(toolset, "ecs_service_health", "{\"cluster\":\"shop\",\"service\":\"ghost\"}"));
        assertThat(missing.kind()).isEqualTo(ToolException.Kind.NOT_FOUND);
        assertThat(missing.getMessage())
                .contains("service ghost in cluster shop was not found")
                .contains("MISSING");

        ecs(
                "DescribeTaskDefinition",
                400,
                "{\"__type\":\"ClientException\",\"message\":\"Unable to describe task definition.\"}");
        ToolException td =
                failure(() -> Fixtures.call(toolset, "ecs_task_definition", "{\"task_definition\":\"web:9\"}"));
        assertThat(td.kind()).isEqualTo(ToolException.Kind.NOT_FOUND);
        assertThat(td.getMessage()).contains("task definition web:9 was not found in account prod");
    }

    @Test
    void invalidCredentialsNeverEchoTheSecret() {
        ecs(
                "ListClusters",
                400,
                "{\"__type\":\"UnrecognizedClientException\",\"message\":\"The security token included "
                        + "in the request is invalid.\"}");
        ToolException e = failure(() -> Fixtures.call(toolset, "ecs_list_clusters", "{}"));
        assertThat(e.getMessage())
                .contains("rejected the credentials")
                .doesNotContain(SECRET)
                .doesNotContain("AKIAIOSFODNN7EXAMPLE");
        assertThat(String.valueOf(e.getCause())).doesNotContain(SECRET);
    }

    @Test
    void listServicesFollowsNextTokenAndBatchesDescribeServices() {
        wm.stubFor(post(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo(ECS + "ListServices"))
                .withRequestBody(equalToJson("{\"cluster\":\"shop\",\"maxResults\":100}"))
                .willReturn(aResponse()
                        .withHeader("Content-Type", JSON11)
                        .withBody("{\"serviceArns\":[\"arn:aws:ecs:"
                                + "eu-west-1:123456789012:service/shop/a\"],\"nextToken\":\"page2\"}")));
        wm.stubFor(post(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo(ECS + "ListServices"))
                .withRequestBody(matchingJsonPath("$.nextToken", equalTo("page2")))
                .willReturn(aResponse()
                        .withHeader("Content-Type", JSON11)
                        .withBody("{\"serviceArns\":[\"arn:aws:ecs:" + "eu-west-1:123456789012:service/shop/b\"]}")));
        ecs(
                "DescribeServices",
                200,
                "{\"services\":[{\"serviceName\":\"a\",\"status\":\"ACTIVE\",\"desiredCount\":2,"
                        + "\"runningCount\":1,\"pendingCount\":0,\"deployments\":[]},{\"serviceName\":\"b\",\"status\":\"ACTIVE\","
                        + "\"desiredCount\":1,\"runningCount\":1,\"pendingCount\":0,\"deployments\":[]}],\"failures\":[]}");
        ToolResult r = Fixtures.call(toolset, "ecs_list_services", "{\"cluster\":\"shop\"}");
        assertThat(Fixtures.names(r.structuredContent().get("services"), "name"))
                .containsExactly("a", "b");
        assertThat(r.structuredContent().get("truncated").asBoolean()).isFalse();
        assertThat(r.text()).contains("2/1/0 !");
        wm.verify(2, postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(ECS + "ListServices")));
    }

    @Test
    void filterLogEventsPagesWithNextToken() {
        ecs(
                "DescribeServices",
                200,
                "{\"services\":[{\"serviceName\":\"web\",\"status\":\"ACTIVE\",\"desiredCount\":1,"
                        + "\"runningCount\":1,\"pendingCount\":0,\"taskDefinition\":\"arn:aws:ecs:eu-west-1:123456789012:"
                        + "task-definition/web:1\",\"deployments\":[],\"events\":[]}],\"failures\":[]}");
        ecs(
                "DescribeTaskDefinition",
                200,
                "{\"taskDefinition\":{\"family\":\"web\",\"revision\":1,"
                        + "\"containerDefinitions\":[{\"name\":\"web\",\"image\":\"nginx\",\"logConfiguration\":{\"logDriver\":"
                        + "\"awslogs\",\"options\":{\"awslogs-group\":\"/ecs/web\",\"awslogs-region\":\"eu-west-1\","
                        + "\"awslogs-stream-prefix\":\"ecs\"}}}]}}");
        String logs = "Logs_20140328.FilterLogEvents";
        wm.stubFor(
                post(urlEqualTo("/"))
                        .withHeader("X-Amz-Target", equalTo(logs))
                        .withRequestBody(matchingJsonPath("$.logStreamNamePrefix", equalTo("ecs/web/")))
                        .willReturn(
                                aResponse()
                                        .withHeader("Content-Type", JSON11)
                                        .withBody(
                                                "{\"events\":[{\"timestamp\":1,"
                                                        + "\"message\":\"ERROR request 42 failed\",\"logStreamName\":\"ecs/web/1\"}],\"nextToken\":\"t2\"}")));
        wm.stubFor(post(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo(logs))
                .withRequestBody(matchingJsonPath("$.nextToken", equalTo("t2")))
                .willReturn(aResponse()
                        .withHeader("Content-Type", JSON11)
                        .withBody("{\"events\":[{\"timestamp\":2,"
                                + "\"message\":\"ERROR request 43 failed\",\"logStreamName\":\"ecs/web/1\"},{\"timestamp\":3,"
                                + "\"message\":\"INFO ok\",\"logStreamName\":\"ecs/web/1\"}]}")));
        ToolResult r = Fixtures.call(toolset, "ecs_logs", "{\"cluster\":\"shop\",\"service\":\"web\",\"limit\":2}");
        var out = r.structuredContent();
        assertThat(out.get("events_scanned").asInt()).isEqualTo(3);
        assertThat(out.get("pages").asInt()).isEqualTo(2);
        assertThat(out.get("complete").asBoolean()).isTrue();
        assertThat(Fixtures.names(out.get("lines"), "message")).containsExactly("ERROR request 43 failed", "INFO ok");
        assertThat(out.get("summary").get("levels").get("error").asInt()).isEqualTo(2);
        assertThat(out.get("summary")
                        .get("top_signatures")
                        .get(0)
                        .get("signature")
                        .asString())
                .isEqualTo("ERROR request <n> failed");
        assertThat(out.get("summary").get("top_signatures").get(0).get("count").asInt())
                .isEqualTo(2);
    }

    @Test
    void unknownAccountAndDisallowedRegionAreRefusedNamingWhatIsConfigured() {
        assertThatThrownBy(() -> Fixtures.call(toolset, "ecs_list_clusters", "{\"account\":\"staging\"}"))
                .isInstanceOf(ToolException.class)
                .hasMessageContaining("account 'staging' is not configured")
                .hasMessageContaining("configured accounts: prod")
                .satisfies(e -> assertThat(((ToolException) e).kind()).isEqualTo(ToolException.Kind.NOT_FOUND));
        assertThatThrownBy(() -> Fixtures.call(toolset, "ecs_list_clusters", "{\"region\":\"us-east-1\"}"))
                .isInstanceOf(ToolException.class)
                .hasMessageContaining("allowed regions: eu-west-1, eu-central-1")
                .satisfies(e -> assertThat(((ToolException) e).kind()).isEqualTo(ToolException.Kind.FORBIDDEN));
        assertThat(wm.getAllServeEvents()).isEmpty();
    }
}
