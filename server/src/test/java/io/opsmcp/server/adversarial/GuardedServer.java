package io.opsmcp.server.adversarial;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.opsmcp.server.OpsMcpRuntime;
import io.opsmcp.server.auth.ApiKeys;
import io.opsmcp.server.config.ConfigLoader;
import io.opsmcp.server.http.HttpTransport;

/**
 * The real server with {@code --sandbox} over streamable HTTP on loopback, with one API key per principal:
 * {@code alice} (sre), {@code vera} (viewer), {@code mallory} (no role), {@code gina} (break-glass),
 * {@code bob} (sre-lead). Clients are the official MCP Java SDK client with {@code Authorization: Bearer}.
 */
final class GuardedServer implements AutoCloseable {

    final OpsMcpRuntime runtime;
    final HttpTransport http;

    GuardedServer(Path dataDir, String extraYaml) throws Exception {
        this(dataDir, extraYaml, List.of("hosts"));
    }

    GuardedServer(Path dataDir, String extraYaml, List<String> toolsets) throws Exception {
        StringBuilder yaml = new StringBuilder("auth:\n  api_keys:\n");
        for (var p : Map.of("alice", "[sre]", "vera", "[viewer]", "mallory", "[]", "gina", "[break-glass]",
                "bob", "[sre-lead]").entrySet()) {
            yaml.append("    - {principal: ").append(p.getKey()).append(", roles: ").append(p.getValue())
                    .append(", sha256: ").append(ApiKeys.sha256Hex(key(p.getKey()))).append("}\n");
        }
        yaml.append(extraYaml);
        Path config = dataDir.resolve("ops-mcp.yaml");
        Files.writeString(config, yaml.toString());
        runtime = OpsMcpRuntime.start(new ConfigLoader(Map.of()).load(config, new ConfigLoader.Overrides("http",
                "127.0.0.1", 0, toolsets, true, "warn", dataDir)));
        http = HttpTransport.start(runtime);
    }

    static String key(String principal) {
        return "test-key-of-" + principal + "-0123456789";
    }

    /** An initialised client acting as {@code principal}. */
    McpSyncClient client(String principal) {
        McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + http.port())
                        .endpoint("/mcp")
                        .httpRequestCustomizer((b, method, uri, body, ctx) -> b.header("Authorization", "Bearer " + key(principal)))
                        .build())
                .requestTimeout(Duration.ofSeconds(60)).build();
        client.initialize();
        return client;
    }

    static String text(McpSchema.CallToolResult result) {
        StringBuilder out = new StringBuilder();
        result.content().forEach(c -> out.append(c instanceof McpSchema.TextContent t ? t.text() : ""));
        return out.toString();
    }

    @Override
    public void close() {
        http.close();
        runtime.close();
    }
}
