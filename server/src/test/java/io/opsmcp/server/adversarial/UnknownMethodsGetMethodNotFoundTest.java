package io.opsmcp.server.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, item 13: over streamable HTTP a request for a method the server does not implement must be answered,
 * completely, with JSON-RPC {@code -32601}: the HTTP exchange ends, so a client waiting for the response does not
 * wait forever. Unknown notifications are accepted and ignored (they get no response by definition), and the
 * session goes on serving.
 */
class UnknownMethodsGetMethodNotFoundTest {

    @TempDir
    Path dir;

    @Test
    void everyUnknownMethodIsAnsweredWithMethodNotFoundAndTheExchangeEnds() throws Exception {
        String yaml = "auth:\n  api_keys:\n" + HttpTarget.key("alice", "sre", "alice-key");
        try (HttpTarget target = HttpTarget.start(dir, yaml)) {
            String session = target.initialize("alice-key");
            List<String> unknown =
                    List.of("no/such/method", "tools/delete", "rpc.discover", "resources/write", "Tools/List", "");
            int id = 100;
            for (String method : unknown) {
                id++;
                String body = "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":{}}";
                HttpRequest.Builder request =
                        HttpRequest.newBuilder(target.uri("/mcp")).POST(HttpRequest.BodyPublishers.ofString(body));
                String[] headers = HttpTarget.mcpHeaders("alice-key", session);
                for (int i = 0; i < headers.length; i += 2) {
                    request.header(headers[i], headers[i + 1]);
                }
                // The future completes only when the whole response (stream included) has arrived.
                HttpResponse<String> answer = target.client
                        .sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
                        .get(15, TimeUnit.SECONDS);
                System.out.println("'" + method + "' -> " + answer.statusCode() + " "
                        + answer.body().strip());
                assertThat(answer.statusCode()).isEqualTo(200);
                assertThat(answer.body()).contains("\"id\":" + id).contains("\"code\":-32601");
            }

            HttpResponse<String> notification = target.send(
                    "POST",
                    "/mcp",
                    "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/no_such_thing\"}",
                    HttpTarget.mcpHeaders("alice-key", session));
            assertThat(notification.statusCode()).isEqualTo(202);

            HttpResponse<String> ping = target.client
                    .sendAsync(
                            HttpRequest.newBuilder(target.uri("/mcp"))
                                    .timeout(Duration.ofSeconds(15))
                                    .POST(HttpRequest.BodyPublishers.ofString(
                                            "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"ping\"}"))
                                    .header("Content-Type", "application/json")
                                    .header("Accept", "application/json, text/event-stream")
                                    .header("Authorization", "Bearer alice-key")
                                    .header("Mcp-Session-Id", session)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .get(15, TimeUnit.SECONDS);
            assertThat(ping.body())
                    .as("the session goes on")
                    .contains("\"id\":7")
                    .contains("\"result\"");
        }
    }
}
