package io.opsmcp.tools.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.opsmcp.core.tool.CancellationSignal;
import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.Principal;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * Cancelling a tool call aborts its AWS request in flight (WireMock answers ListClusters correctly, but only after
 * 20 s): the call fails at once instead of receiving the answer, and no request is sent after the cancellation.
 */
class AwsCancellationTest {

    static final String ECS = "AmazonEC2ContainerServiceV20141113.";

    WireMockServer wm;
    AwsToolset toolset;

    @BeforeEach
    void start() {
        wm = new WireMockServer(
                WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        wm.start();
        toolset = Fixtures.toolset(Fixtures.args("""
                {"aws": {"max_attempts": 3, "accounts": [{"name": "dev", "account_id": "123456789012",
                  "environment": "dev", "default_region": "eu-west-1", "regions": ["eu-west-1"],
                  "endpoint_url": "http://127.0.0.1:%d",
                  "credentials": {"type": "static", "access_key_id": "AKIAIOSFODNN7EXAMPLE",
                                  "secret_access_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}}]}}
                """.formatted(wm.port())), List.of());
        wm.stubFor(post(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo(ECS + "ListClusters"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody("{\"clusterArns\":[\"arn:aws:ecs:eu-west-1:123456789012:cluster/shop\"]}")
                        .withFixedDelay(20_000)));
    }

    @AfterEach
    void stop() {
        toolset.close();
        wm.stop();
    }

    @Test
    void cancellingAbortsTheRequestInFlight() throws Exception {
        CancellationSignal cancellation = new CancellationSignal();
        ToolContext ctx = new ToolContext(
                new Principal("test", null, "local"),
                "req-1",
                Instant.now().plusSeconds(300),
                null,
                null,
                false,
                cancellation);
        OpsTool tool = Fixtures.tool(toolset, "ecs_list_clusters");
        ObjectNode args = Fixtures.args("{}");
        CompletableFuture<Object> call = CompletableFuture.supplyAsync(() -> {
            try {
                return tool.execute(args, ctx);
            } catch (RuntimeException e) {
                return e;
            }
        });
        for (int i = 0; i < 100 && wm.getAllServeEvents().isEmpty(); i++) {
            Thread.sleep(100);
        }
        long t0 = System.nanoTime();
        assertThat(wm.getAllServeEvents()).as("the request reached AWS").hasSize(1);
        cancellation.cancel();

        // without the abort the call would receive the (valid) answer after 20 s
        Object outcome = call.get(15, TimeUnit.SECONDS);
        System.out.println("ended " + (System.nanoTime() - t0) / 1_000_000 + " ms after the cancellation: " + outcome);
        assertThat(outcome).isInstanceOf(ToolException.class);
        Thread.sleep(500);
        wm.verify(1, postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(ECS + "ListClusters")));
    }

    @Test
    void aCallCancelledBeforeItSendsSendsNothing() {
        CancellationSignal cancellation = new CancellationSignal();
        cancellation.cancel();
        ToolContext ctx = new ToolContext(
                new Principal("test", null, "local"),
                "req-2",
                Instant.now().plusSeconds(300),
                null,
                null,
                false,
                cancellation);
        OpsTool tool = Fixtures.tool(toolset, "ecs_list_clusters");
        try {
            // the paging loop stops before its first page, or the request is refused unsent; either way the
            // gateway reports the call as cancelled
            tool.execute(Fixtures.args("{}"), ctx);
        } catch (ToolException expected) {
            // refused unsent
        }
        assertThat(wm.getAllServeEvents()).isEmpty();
    }
}
