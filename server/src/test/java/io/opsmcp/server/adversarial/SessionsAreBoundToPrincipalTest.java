package io.opsmcp.server.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, item 13: an {@code Mcp-Session-Id} is not a credential. Bob, holding a valid API key of his own and
 * Alice's session id (from a log, a proxy, a shared terminal), tries to use her session: open its SSE stream,
 * post into it, delete it. Each is refused as if the session did not exist, and Alice's session lives on; only
 * Alice can end it.
 */
class SessionsAreBoundToPrincipalTest {

    private static final String PING = "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"ping\"}";

    @TempDir
    Path dir;

    @Test
    void anotherPrincipalCannotReadPostToOrDeleteASession() throws Exception {
        String yaml = "auth:\n  api_keys:\n" + HttpTarget.key("alice", "sre", "alice-key")
                + HttpTarget.key("bob", "sre", "bob-key");
        try (HttpTarget target = HttpTarget.start(dir, yaml)) {
            String session = target.initialize("alice-key");

            HttpResponse<InputStream> stream = target.client.send(
                    HttpRequest.newBuilder(target.uri("/mcp"))
                            .timeout(Duration.ofSeconds(20))
                            .GET()
                            .header("Accept", "text/event-stream")
                            .header("Authorization", "Bearer bob-key")
                            .header("Mcp-Session-Id", session)
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            stream.body().close();
            System.out.println("bob GET alice's session -> " + stream.statusCode());
            assertThat(stream.statusCode()).as("bob opens alice's SSE stream").isIn(403, 404);

            HttpResponse<String> post = target.send("POST", "/mcp", PING, HttpTarget.mcpHeaders("bob-key", session));
            assertThat(post.statusCode()).as("bob posts into alice's session").isIn(403, 404);
            assertThat(post.body()).doesNotContain("\"result\"").doesNotContain("stackTrace");
            HttpResponse<String> call = target.send("POST", "/mcp", """
                    {"jsonrpc":"2.0","id":10,"method":"tools/call","params":{"name":"host_list","arguments":{}}}""", HttpTarget.mcpHeaders("bob-key", session));
            assertThat(call.statusCode()).isIn(403, 404);

            HttpResponse<String> delete =
                    target.send("DELETE", "/mcp", null, "Authorization", "Bearer bob-key", "Mcp-Session-Id", session);
            System.out.println("bob DELETE alice's session -> " + delete.statusCode());
            assertThat(delete.statusCode()).as("bob deletes alice's session").isIn(403, 404);

            HttpResponse<String> alive = target.send("POST", "/mcp", PING, HttpTarget.mcpHeaders("alice-key", session));
            assertThat(alive.statusCode()).as("alice's session survives").isEqualTo(200);
            assertThat(alive.body()).contains("\"id\":9").contains("\"result\"");

            // Alice herself may end it, after which it is gone for her too.
            assertThat(target.send(
                                    "DELETE",
                                    "/mcp",
                                    null,
                                    "Authorization",
                                    "Bearer alice-key",
                                    "Mcp-Session-Id",
                                    session)
                            .statusCode())
                    .isEqualTo(200);
            assertThat(target.send("POST", "/mcp", PING, HttpTarget.mcpHeaders("alice-key", session))
                            .statusCode())
                    .isEqualTo(404);
        }
    }

    @Test
    void legacySseSessionsAreBoundToo() throws Exception {
        String yaml = "auth:\n  api_keys:\n" + HttpTarget.key("alice", "sre", "alice-key")
                + HttpTarget.key("bob", "sre", "bob-key");
        try (HttpTarget target = HttpTarget.start(dir, yaml)) {
            HttpResponse<InputStream> stream = target.client.send(
                    HttpRequest.newBuilder(target.uri("/sse"))
                            .timeout(Duration.ofSeconds(20))
                            .GET()
                            .header("Accept", "text/event-stream")
                            .header("Authorization", "Bearer alice-key")
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (var lines = new java.io.BufferedReader(
                    new java.io.InputStreamReader(stream.body(), java.nio.charset.StandardCharsets.UTF_8))) {
                String endpoint = null;
                for (String line = lines.readLine(); line != null && endpoint == null; line = lines.readLine()) {
                    if (line.startsWith("data:") && line.contains("sessionId=")) {
                        endpoint = line.substring(5).trim();
                    }
                }
                assertThat(endpoint).isNotNull();
                HttpResponse<String> hijack = target.send(
                        "POST",
                        endpoint,
                        HttpTarget.INITIALIZE,
                        "Content-Type",
                        "application/json",
                        "Authorization",
                        "Bearer bob-key");
                System.out.println("bob POST into alice's SSE session -> " + hijack.statusCode());
                assertThat(hijack.statusCode()).isIn(403, 404);
                assertThat(target.send(
                                        "POST",
                                        endpoint,
                                        HttpTarget.INITIALIZE,
                                        "Content-Type",
                                        "application/json",
                                        "Authorization",
                                        "Bearer alice-key")
                                .statusCode())
                        .isEqualTo(200);
            }
        }
    }
}
