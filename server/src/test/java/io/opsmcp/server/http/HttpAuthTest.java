package io.opsmcp.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsmcp.server.OpsMcpRuntime;
import io.opsmcp.server.auth.ApiKeys;
import io.opsmcp.server.config.ConfigException;
import io.opsmcp.server.config.ConfigLoader;
import io.opsmcp.server.config.OpsMcpConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTP authentication and DNS-rebinding protection, against the real embedded server. */
class HttpAuthTest {

    private static final String INIT = """
            {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",\
            "capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""";

    @TempDir
    Path dir;

    private OpsMcpConfig config(String yaml) throws Exception {
        Path file = dir.resolve("ops-mcp.yaml");
        Files.writeString(file, yaml);
        return new ConfigLoader(Map.of())
                .load(file, new ConfigLoader.Overrides("http", null, 0, List.of(), false, "warn", dir.resolve("data")));
    }

    private static HttpResponse<String> post(int port, Map<String, String> headers) throws Exception {
        var builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/mcp"))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(INIT));
        headers.forEach(builder::header);
        return HttpClient.newHttpClient().send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void apiKeysAreRequiredWhenConfigured() throws Exception {
        String hash = ApiKeys.sha256Hex("s3cret-key-for-tests");
        OpsMcpConfig config =
                config("auth:\n  api_keys:\n    - {principal: alice, roles: [sre], sha256: " + hash + "}\n");
        try (OpsMcpRuntime runtime = OpsMcpRuntime.start(config);
                HttpTransport http = HttpTransport.start(runtime)) {
            HttpResponse<String> none = post(http.port(), Map.of());
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"ops-mcp\"");
            assertThat(post(http.port(), Map.of("Authorization", "Bearer wrong"))
                            .statusCode())
                    .isEqualTo(401);
            HttpResponse<String> ok = post(http.port(), Map.of("Authorization", "Bearer s3cret-key-for-tests"));
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).contains("\"serverInfo\"");
            HttpResponse<String> health = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + "/healthz"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void rejectsForeignHostAndOriginHeaders() throws Exception {
        OpsMcpConfig config = config("{}\n");
        try (OpsMcpRuntime runtime = OpsMcpRuntime.start(config);
                HttpTransport http = HttpTransport.start(runtime)) {
            assertThat(post(http.port(), Map.of()).statusCode()).isEqualTo(200);
            assertThat(post(http.port(), Map.of("Origin", "http://evil.example"))
                            .statusCode())
                    .isEqualTo(403);
        }
    }

    @Test
    void nonLoopbackBindNeedsApiKeys() throws Exception {
        Path file = dir.resolve("x.yaml");
        Files.writeString(file, "{}\n");
        assertThatThrownBy(() -> new ConfigLoader(Map.of())
                        .load(file, new ConfigLoader.Overrides("http", "0.0.0.0", 0, List.of(), false, null, dir)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("auth.api_keys");
        Files.writeString(file, "auth: {api_keys: [{principal: bot, sha256: " + ApiKeys.sha256Hex("k") + "}]}\n");
        assertThat(new ConfigLoader(Map.of())
                        .load(file, new ConfigLoader.Overrides("http", "0.0.0.0", 0, List.of(), false, null, dir))
                        .server()
                        .bind())
                .isEqualTo("0.0.0.0");
        Files.writeString(file, "auth: {api_keys: [{principal: bot, sha256: plaintext-key}]}\n");
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(file, ConfigLoader.Overrides.NONE))
                .hasMessageContaining("auth.api_keys[0].sha256: must be the 64 hex digits");
    }
}
