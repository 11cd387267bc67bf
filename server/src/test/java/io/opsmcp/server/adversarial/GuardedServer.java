package io.opsmcp.server.adversarial;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.opsmcp.server.OpsMcpRuntime;
import io.opsmcp.server.auth.ApiKeys;
import io.opsmcp.server.config.ConfigLoader;
import io.opsmcp.server.http.HttpTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

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
        for (var p : Map.of(
                        "alice",
                        "[sre]",
                        "vera",
                        "[viewer]",
                        "mallory",
                        "[]",
                        "gina",
                        "[break-glass]",
                        "bob",
                        "[sre-lead]")
                .entrySet()) {
            yaml.append("    - {principal: ")
                    .append(p.getKey())
                    .append(", roles: ")
                    .append(p.getValue())
                    .append(", sha256: ")
                    .append(ApiKeys.sha256Hex(key(p.getKey())))
                    .append("}\n");
        }
        yaml.append(extraYaml);
        Path config = dataDir.resolve("ops-mcp.yaml");
        Files.writeString(config, yaml.toString());
        runtime = OpsMcpRuntime.start(new ConfigLoader(Map.of())
                .load(config, new ConfigLoader.Overrides("http", "127.0.0.1", 0, toolsets, true, "warn", dataDir)));
        http = HttpTransport.start(runtime);
    }

    static String key(String principal) {
        return "test-key-of-" + principal + "-0123456789";
    }

    /** An initialised client acting as {@code principal}. */
    McpSyncClient client(String principal) {
        McpSyncClient client = McpClient.sync(
                        HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + http.port())
                                .endpoint("/mcp")
                                .httpRequestCustomizer((b, method, uri, body, ctx) ->
                                        b.header("Authorization", "Bearer " + key(principal)))
                                .build())
                .requestTimeout(Duration.ofSeconds(60))
                .build();
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

    /**
     * One server for a test class, in a data directory of its own:
     * {@code @RegisterExtension static final GuardedServer.PerClass server = new GuardedServer.PerClass("")}, then
     * {@code server.get()} in the tests.
     */
    static final class PerClass implements BeforeAllCallback, AfterAllCallback {

        private final String extraYaml;
        private final List<String> toolsets;
        private Path dataDir;
        private GuardedServer server;

        PerClass(String extraYaml) {
            this(extraYaml, List.of("hosts"));
        }

        PerClass(String extraYaml, List<String> toolsets) {
            this.extraYaml = extraYaml;
            this.toolsets = toolsets;
        }

        GuardedServer get() {
            return server;
        }

        @Override
        public void beforeAll(ExtensionContext context) throws Exception {
            dataDir = Files.createTempDirectory("guarded-server");
            server = new GuardedServer(dataDir, extraYaml, toolsets);
        }

        @Override
        public void afterAll(ExtensionContext context) throws Exception {
            if (server != null) {
                server.close();
            }
            if (dataDir != null) {
                try (var paths = Files.walk(dataDir)) {
                    paths.sorted(Comparator.reverseOrder())
                            .forEach(f -> f.toFile().delete());
                }
            }
        }
    }
}
