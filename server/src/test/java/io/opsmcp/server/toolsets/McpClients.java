package io.opsmcp.server.toolsets;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.function.Consumer;
import tools.jackson.databind.json.JsonMapper;

/** MCP Java SDK clients for the tool-list tests: streamable HTTP to an in-process server, stdio to a child JVM. */
final class McpClients {

    private McpClients() {}

    static McpSyncClient http(int port, Consumer<List<McpSchema.Tool>> onToolsChanged) {
        McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + port)
                        .endpoint("/mcp")
                        .build())
                .requestTimeout(Duration.ofSeconds(60))
                .toolsChangeConsumer(onToolsChanged)
                .build();
        client.initialize();
        return client;
    }

    /**
     * {@code ops-mcp serve --transport stdio} in a child JVM from this test's class path, its stderr lines collected
     * into {@code stderr}.
     */
    static McpSyncClient stdio(
            Path dataDir, List<String> serveArgs, Queue<String> stderr, Consumer<List<McpSchema.Tool>> onToolsChanged) {
        List<String> args = new ArrayList<>(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                "io.opsmcp.server.cli.Main",
                "serve",
                "--transport",
                "stdio",
                "--data-dir",
                dataDir.toString(),
                "--log-level",
                "warn"));
        args.addAll(serveArgs);
        StdioClientTransport transport = new StdioClientTransport(
                ServerParameters.builder(Path.of(System.getProperty("java.home"), "bin", "java")
                                .toString())
                        .args(args)
                        .build(),
                new JacksonMcpJsonMapper(JsonMapper.builder().build()));
        transport.setStdErrorHandler(stderr::add);
        McpSyncClient client = McpClient.sync(transport)
                .requestTimeout(Duration.ofSeconds(60))
                .initializationTimeout(Duration.ofSeconds(60))
                .toolsChangeConsumer(onToolsChanged)
                .build();
        client.initialize();
        return client;
    }

    static List<String> names(McpSyncClient client) {
        return client.listTools().tools().stream().map(McpSchema.Tool::name).toList();
    }

    static String text(McpSchema.CallToolResult result) {
        StringBuilder out = new StringBuilder();
        result.content().forEach(c -> out.append(c instanceof McpSchema.TextContent t ? t.text() : ""));
        return out.toString();
    }

    /**
     * Calls a tool that must be refused as unknown, and returns what the client was told: the JSON-RPC error
     * (message and data) or, should the server answer with a tool error instead, its text.
     */
    static String refusal(McpSyncClient client, String tool, Map<String, Object> args) {
        try {
            McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest(tool, args));
            assertThat(result.isError())
                    .as("%s answered %s", tool, text(result))
                    .isTrue();
            return text(result);
        } catch (McpError e) {
            return e.getMessage() + " "
                    + (e.getJsonRpcError() == null ? "" : e.getJsonRpcError().data());
        }
    }
}
