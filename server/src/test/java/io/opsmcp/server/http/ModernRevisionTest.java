package io.opsmcp.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.modern.McpSchema;
import io.modelcontextprotocol.modern.client.McpClient;
import io.modelcontextprotocol.modern.client.McpSyncClient;
import io.modelcontextprotocol.modern.client.transport.HttpClientMcpTransport;
import io.modelcontextprotocol.modern.client.transport.McpHttpRequestCustomizer;
import io.opsmcp.server.OpsMcpRuntime;
import io.opsmcp.server.auth.ApiKeys;
import io.opsmcp.server.config.ConfigLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * The 2026-07-28 revision and 2025-11-25 at the same {@code /mcp}: the MCP Java SDK's modern client discovers the
 * server, lists the tools and calls one through the guard, gets a prompt and completes its argument; a 2025-11-25 client initializes and calls at the same
 * URL; the filters (authentication) apply to both.
 */
class ModernRevisionTest {

    @TempDir
    Path dir;

    private OpsMcpRuntime start() throws Exception {
        Path file = dir.resolve("ops-mcp.yaml");
        Files.writeString(
                file,
                "auth:\n  api_keys:\n" + "    - {principal: alice, roles: [sre], sha256: "
                        + ApiKeys.sha256Hex("alice-key") + "}\n");
        return OpsMcpRuntime.start(new ConfigLoader(Map.of())
                .load(
                        file,
                        new ConfigLoader.Overrides(
                                "http", null, 0, List.of("hosts"), true, "warn", dir.resolve("data"))));
    }

    @Test
    void aModernClientDiscoversListsAndCallsBesideALegacyOne() throws Exception {
        try (OpsMcpRuntime runtime = start();
                HttpTransport http = HttpTransport.start(runtime)) {
            String url = "http://127.0.0.1:" + http.port() + "/mcp";
            McpSyncClient modern = McpClient.sync(HttpClientMcpTransport.builder(url)
                            .requestCustomizer(McpHttpRequestCustomizer.fromSync(
                                    (request, headers, context) -> headers.set("Authorization", "Bearer alice-key")))
                            .build())
                    .build();
            McpSchema.DiscoverResult discovered = modern.discover();
            assertThat(discovered.supportedVersions()).contains("2026-07-28");
            assertThat(discovered.capabilities().tools()).isNotNull();
            assertThat(modern.tools().list().tools())
                    .extracting(McpSchema.Tool::name)
                    .contains("host_list", "host_service_restart");
            McpSchema.CallToolResult listed = modern.tool("host_uptime_load")
                    .arguments(Map.of("host", "sandbox"))
                    .call();
            assertThat(listed.isError()).as("%s", listed.content()).isFalse();
            assertThat(listed.structuredContent()).isNotNull();
            // Arguments are the gateway's to check: the error names the field and the rule, as in 2025-11-25.
            McpSchema.CallToolResult invalid = modern.tool("host_uptime_load")
                    .arguments(Map.of("host", "sandbox; reboot"))
                    .call();
            assertThat(invalid.isError()).isTrue();
            assertThat(invalid.content().toString()).contains("host");

            // Prompts and their completions, from the same handlers as 2025-11-25.
            assertThat(modern.prompts().list().prompts())
                    .extracting(McpSchema.Prompt::name)
                    .contains("investigate_host");
            McpSchema.GetPromptResult prompt = modern.prompt("investigate_host")
                    .arguments(Map.of("host", "sandbox"))
                    .get();
            assertThat(prompt.messages().toString()).contains("sandbox");
            McpSchema.CompleteResult hosts = modern.completion(
                            new McpSchema.PromptReference("investigate_host"), "host", "sand")
                    .complete();
            assertThat(hosts.completion().values()).contains("sandbox");

            try (var legacy = io.modelcontextprotocol.client.McpClient.sync(
                            HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + http.port())
                                    .endpoint("/mcp")
                                    .httpRequestCustomizer((b, method, uri, body, ctx) ->
                                            b.header("Authorization", "Bearer alice-key"))
                                    .build())
                    .requestTimeout(Duration.ofSeconds(60))
                    .build()) {
                assertThat(legacy.initialize().protocolVersion()).isEqualTo("2025-11-25");
                assertThat(legacy.listTools().tools()).isNotEmpty();
            }

            // server/discover without a key is refused by the same authentication filter as everything else.
            HttpResponse<String> anonymous = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .POST(
                                            HttpRequest.BodyPublishers.ofString(
                                                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"server/discover\",\"params\":{}}"))
                                    .header("Content-Type", "application/json")
                                    .header("Accept", "application/json, text/event-stream")
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(401);
        }
    }

    /**
     * 2026-07-28 "input required" retries carry a {@code requestState} the server sealed. ops-mcp never issues one
     * ({@code NoRequestState}), so a state a client makes up (or one from another server) is refused before any tool
     * runs, on every replica alike.
     */
    @Test
    void aRequestStateTheServerNeverIssuedIsRefused() throws Exception {
        // The SDK's default codec would make a per-process key and warn that replicas cannot share it.
        ch.qos.logback.classic.Logger codecLog = (ch.qos.logback.classic.Logger)
                org.slf4j.LoggerFactory.getLogger("io.modelcontextprotocol.modern.server.HmacRequestStateCodec");
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> codecEvents =
                new ch.qos.logback.core.read.ListAppender<>();
        codecEvents.start();
        codecLog.addAppender(codecEvents);
        try (OpsMcpRuntime runtime = start();
                HttpTransport http = HttpTransport.start(runtime)) {
            String url = "http://127.0.0.1:" + http.port() + "/mcp";
            String body = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{"
                    + "\"name\":\"host_uptime_load\",\"arguments\":{\"host\":\"sandbox\"},"
                    + "\"requestState\":\"eyJ2IjoxLCJzIjoiZm9yZ2VkIn0.forged\","
                    + "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
                    + "\"io.modelcontextprotocol/clientCapabilities\":{}}}}";
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .POST(HttpRequest.BodyPublishers.ofString(body))
                                    .header("Content-Type", "application/json")
                                    .header("Accept", "application/json, text/event-stream")
                                    .header("MCP-Protocol-Version", "2026-07-28")
                                    .header("Mcp-Method", "tools/call")
                                    .header("Mcp-Name", "host_uptime_load")
                                    .header("Authorization", "Bearer alice-key")
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(response.body()).contains("\"error\"").contains("requestState");
            assertThat(response.body()).doesNotContain("\"result\"");
        } finally {
            codecLog.detachAppender(codecEvents);
        }
        assertThat(codecEvents.list).as("the SDK's HMAC codec was never built").isEmpty();
    }

    @Test
    void messagesAreRoutedByTheirRevisionClaim() {
        ProtocolRevisionRouter router =
                new ProtocolRevisionRouter(null, JsonMapper.builder().build());
        assertThat(router.isModern(bytes("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
                        + "\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"c\","
                        + "\"version\":\"1\"}}}")))
                .isFalse();
        assertThat(router.isModern(bytes("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\",\"params\":{"
                        + "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\"}}}")))
                .isTrue();
        assertThat(router.isModern(bytes("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"server/discover\"}")))
                .isTrue();
        assertThat(router.isModern(bytes("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/list\",\"params\":{"
                        + "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\" \"}}}")))
                .as("a blank claim is no claim")
                .isFalse();
        // JSON may spell the claim's key and the method with escapes; the router's no-parse shortcut must not miss them
        assertThat(router.isModern(bytes("{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"tools/list\",\"params\":{"
                        + "\"_meta\":{\"io.modelcontextprotocol\\/protocolVersion\":\"2026-07-28\"}}}")))
                .isTrue();
        assertThat(router.isModern(bytes("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"server\\u002fdiscover\"}")))
                .isTrue();
        assertThat(router.isModern(bytes("not json"))).isFalse();
        assertThat(router.isModern(bytes("[{\"jsonrpc\":\"2.0\",\"method\":\"ping\",\"id\":5}]")))
                .isFalse();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
