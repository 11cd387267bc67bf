package io.opsmcp.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.opsmcp.server.OpsMcpRuntime;
import io.opsmcp.server.auth.ApiKeys;
import io.opsmcp.server.config.ConfigLoader;
import io.opsmcp.server.config.OpsMcpConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code http.stateless: true}: streamable HTTP without sessions. Every POST stands alone (no {@code Mcp-Session-Id}
 * issued or needed), is authenticated by its own API key, and reaches the same tools through the same guard; the
 * approval flow works across independent requests; legacy SSE is off with a message saying why. In session mode
 * (the default) the same session-less POST is refused, so the difference is the setting's.
 */
class StatelessHttpTest {

    private static final String RESTART = "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{"
            + "\"name\":\"host_service_restart\",\"arguments\":{\"host\":\"sandbox-staging\",\"unit\":\"procps\"%s}}}";
    private static final String TOOLS_LIST = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}";

    @TempDir
    Path dir;

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private OpsMcpRuntime start(boolean stateless) throws Exception {
        Path file = dir.resolve("ops-mcp.yaml");
        Files.writeString(
                file,
                (stateless ? "http:\n  stateless: true\n" : "")
                        + "auth:\n  api_keys:\n"
                        + "    - {principal: alice, roles: [sre], sha256: " + ApiKeys.sha256Hex("alice-key") + "}\n"
                        + "    - {principal: bob, roles: [sre-lead], sha256: " + ApiKeys.sha256Hex("bob-key") + "}\n");
        OpsMcpConfig config = new ConfigLoader(Map.of())
                .load(
                        file,
                        new ConfigLoader.Overrides(
                                "http", null, 0, List.of("hosts"), stateless, "warn", dir.resolve("data")));
        assertThat(config.server().stateless()).isEqualTo(stateless);
        return OpsMcpRuntime.start(config);
    }

    private HttpResponse<String> post(int port, String path, String body, String key) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(60))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .header("Content-Type", "application/json")
                        .header("Accept", "application/json, text/event-stream")
                        .header("Authorization", "Bearer " + key)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(int port, String path, String accept) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(20))
                        .GET()
                        .header("Accept", accept)
                        .header("Authorization", "Bearer alice-key")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyRequestStandsAloneAndTheApprovalFlowSpansThem() throws Exception {
        try (OpsMcpRuntime runtime = start(true);
                HttpTransport http = HttpTransport.start(runtime)) {
            int port = http.port();
            HttpResponse<String> init = post(
                    port,
                    "/mcp",
                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                            + "\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}",
                    "alice-key");
            assertThat(init.statusCode()).as(init.body()).isEqualTo(200);
            assertThat(init.body()).contains("\"protocolVersion\"").contains("ops-mcp");
            assertThat(init.headers().firstValue("Mcp-Session-Id")).isEmpty();

            HttpResponse<String> list = post(port, "/mcp", TOOLS_LIST, "alice-key");
            assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
            assertThat(list.body()).contains("host_service_restart").contains("host_list");

            HttpResponse<String> pending = post(port, "/mcp", RESTART.formatted(""), "alice-key");
            assertThat(pending.body()).contains("Approval required");
            Matcher m = Pattern.compile("apr_[a-z2-7]{26}").matcher(pending.body());
            assertThat(m.find()).as(pending.body()).isTrue();
            String approvalId = m.group();

            HttpResponse<String> vote = post(port, "/approvals/" + approvalId + "/approve", "{}", "bob-key");
            assertThat(vote.statusCode()).as(vote.body()).isEqualTo(200);

            // Bob holds the approval's id but is not its requester: the guard binds it to alice, per request.
            HttpResponse<String> stolen =
                    post(port, "/mcp", RESTART.formatted(",\"approval_id\":\"" + approvalId + "\""), "bob-key");
            assertThat(stolen.body()).doesNotContain("ran `");

            HttpResponse<String> ran =
                    post(port, "/mcp", RESTART.formatted(",\"approval_id\":\"" + approvalId + "\""), "alice-key");
            assertThat(ran.body()).as(ran.body()).contains("ran `");

            HttpResponse<String> sse = get(port, "/sse", "text/event-stream");
            assertThat(sse.statusCode()).isEqualTo(404);
            assertThat(sse.body()).contains("stateless").contains("/mcp");
            assertThat(get(port, "/mcp", "text/event-stream").statusCode())
                    .as("no server-to-client stream")
                    .isEqualTo(405);
        }
    }

    @Test
    void sessionlessRequestsGetTheSameWireChecksAsSessions() throws Exception {
        try (OpsMcpRuntime runtime = start(true);
                HttpTransport http = HttpTransport.start(runtime)) {
            int port = http.port();
            HttpResponse<String> notAnObject = post(
                    port,
                    "/mcp",
                    "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{\"name\":\"host_list\","
                            + "\"arguments\":[1]}}",
                    "alice-key");
            assertThat(notAnObject.body())
                    .as(notAnObject.body())
                    .contains("-32602")
                    .contains("arguments");

            HttpResponse<String> unknown = post(
                    port,
                    "/mcp",
                    "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"tools/call\",\"params\":{\"name\":\"no_such_tool\","
                            + "\"arguments\":{}}}",
                    "alice-key");
            assertThat(unknown.body()).as(unknown.body()).contains("Unknown tool: no_such_tool");

            HttpResponse<String> cursor = post(
                    port,
                    "/mcp",
                    "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/list\",\"params\":{\"cursor\":\"x\"}}",
                    "alice-key");
            assertThat(cursor.body()).as(cursor.body()).contains("-32602").contains("cursor");

            HttpResponse<String> badVersion = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/mcp"))
                            .timeout(Duration.ofSeconds(60))
                            .POST(HttpRequest.BodyPublishers.ofString(TOOLS_LIST))
                            .header("Content-Type", "application/json")
                            .header("Accept", "application/json, text/event-stream")
                            .header("Authorization", "Bearer alice-key")
                            .header("MCP-Protocol-Version", "1999-01-01")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(badVersion.statusCode()).as(badVersion.body()).isEqualTo(400);
            assertThat(badVersion.body()).contains("MCP-Protocol-Version");
        }
    }

    @Test
    void theSdkClientWorksWithoutASession() throws Exception {
        try (OpsMcpRuntime runtime = start(true);
                HttpTransport http = HttpTransport.start(runtime);
                McpSyncClient mcp = McpClient.sync(
                                HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + http.port())
                                        .endpoint("/mcp")
                                        .httpRequestCustomizer((b, method, uri, body, ctx) ->
                                                b.header("Authorization", "Bearer alice-key"))
                                        .build())
                        .requestTimeout(Duration.ofSeconds(60))
                        .build()) {
            mcp.initialize();
            assertThat(mcp.listTools().tools()).extracting(McpSchema.Tool::name).contains("host_list");
            McpSchema.CallToolResult result = mcp.callTool(new McpSchema.CallToolRequest("host_list", Map.of()));
            assertThat(result.isError()).as("%s", result.content()).isFalse();
            assertThat(mcp.getServerCapabilities().logging())
                    .as("no logging without a stream to send it on")
                    .isNull();
        }
    }

    @Test
    void sessionModeStillRequiresASession() throws Exception {
        try (OpsMcpRuntime runtime = start(false);
                HttpTransport http = HttpTransport.start(runtime)) {
            HttpResponse<String> list = post(http.port(), "/mcp", TOOLS_LIST, "alice-key");
            assertThat(list.statusCode()).isEqualTo(400);
            HttpResponse<java.io.InputStream> sse = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + "/sse"))
                            .timeout(Duration.ofSeconds(20))
                            .GET()
                            .header("Accept", "text/event-stream")
                            .header("Authorization", "Bearer alice-key")
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            sse.body().close(); // an open event stream: the status is all this test needs
            assertThat(sse.statusCode()).as("SSE is served in session mode").isEqualTo(200);
        }
    }
}
