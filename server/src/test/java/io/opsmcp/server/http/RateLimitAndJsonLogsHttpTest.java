package io.opsmcp.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import io.opsmcp.guard.audit.AuditEntry;
import io.opsmcp.server.LogSetup;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Over the real HTTP transport (streamable HTTP, API keys): a client over its rate limit reads the refusal as the
 * tool result ({@code isError}) and the audit log has it; with {@code logging.format: json} the server's log lines
 * are JSON objects that carry the request id (the audit record's) and the principal, and neither the API key nor a
 * secret argument.
 */
class RateLimitAndJsonLogsHttpTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ALICE_KEY = "alice-key-0f3c9b7e2d1a";
    private static final String SECRET = "Hunter2-Sup3rSecret-Value";

    @TempDir
    Path dir;

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private OpsMcpRuntime start(String extra) throws Exception {
        Path file = dir.resolve("ops-mcp.yaml");
        Files.writeString(
                file,
                "http:\n  stateless: true\n"
                        + "auth:\n  api_keys:\n"
                        + "    - {principal: alice, roles: [sre], sha256: " + ApiKeys.sha256Hex(ALICE_KEY) + "}\n"
                        + extra);
        OpsMcpConfig config = new ConfigLoader(Map.of())
                .load(
                        file,
                        new ConfigLoader.Overrides(
                                "http", null, 0, List.of("hosts"), false, "warn", dir.resolve("data")));
        return OpsMcpRuntime.start(config);
    }

    private JsonNode callTool(int port, String tool, String args) throws Exception {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool
                + "\",\"arguments\":" + args + "}}";
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/mcp"))
                        .timeout(Duration.ofSeconds(60))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .header("Content-Type", "application/json")
                        .header("Accept", "application/json, text/event-stream")
                        .header("Authorization", "Bearer " + ALICE_KEY)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String text = response.body().trim();
        if (text.startsWith("event:") || text.startsWith("data:") || text.startsWith("id:")) {
            // a single SSE event: its data line is the JSON-RPC response
            text = text.lines()
                    .filter(l -> l.startsWith("data:"))
                    .map(l -> l.substring(5).trim())
                    .reduce("", String::concat);
        }
        return JSON.readTree(text).get("result");
    }

    @Test
    void aClientOverItsRateLimitReadsTheRefusalAsTheToolResult() throws Exception {
        try (OpsMcpRuntime runtime = start("rate_limits:\n  - {tools: [host_list], calls: 1, per: 1m}\n");
                HttpTransport http = HttpTransport.start(runtime)) {
            JsonNode first = callTool(http.port(), "host_list", "{}");
            assertThat(first.path("isError").asBoolean(false))
                    .as(first.toString())
                    .isFalse();

            JsonNode second = callTool(http.port(), "host_list", "{}");
            assertThat(second.path("isError").asBoolean()).isTrue();
            assertThat(second.at("/content/0/text").asString())
                    .matches("Rate limit: principal alice may call host_list at most 1 time per 1m \\(rule"
                            + " rate_limits\\[0]\\); retry in [0-9]+ s\\.");
            // other tools are outside the rule
            JsonNode other = callTool(http.port(), "approval_status", "{}");
            assertThat(other.path("content").get(0).path("text").asString()).doesNotStartWith("Rate limit");

            List<AuditEntry> audit = runtime.stores().audit().tail(10);
            assertThat(audit).anySatisfy(e -> {
                assertThat(e.event().phase().wire()).isEqualTo("rate_limited");
                assertThat(e.event().principal()).isEqualTo("alice");
                assertThat(e.event().auth()).isEqualTo("api-key");
            });
            assertThat(runtime.stores().audit().verify().ok()).isTrue();
        }
    }

    @Test
    void jsonLogLinesCarryTheRequestIdAndThePrincipalAndNoSecret() throws Exception {
        Path log = dir.resolve("ops-mcp.log");
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level level = root.getLevel();
        List<Appender<ILoggingEvent>> appenders = new ArrayList<>();
        root.iteratorForAppenders().forEachRemaining(appenders::add);
        try {
            LogSetup.apply("debug", log, LogSetup.Format.JSON);
            try (OpsMcpRuntime runtime = start("");
                    HttpTransport http = HttpTransport.start(runtime)) {
                callTool(http.port(), "host_list", "{}");
                callTool(http.port(), "host_list", "{\"password\":\"" + SECRET + "\"}");

                String requestId =
                        runtime.stores().audit().tail(1).get(0).event().requestId();
                List<JsonNode> lines = Files.readAllLines(log).stream()
                        .filter(l -> !l.isBlank())
                        .map(l -> (JsonNode) JSON.readTree(l))
                        .toList();
                assertThat(lines).isNotEmpty();
                List<JsonNode> callLines = lines.stream()
                        .filter(l -> l.path("mdc").has(LogSetup.REQUEST_ID))
                        .toList();
                assertThat(callLines).anySatisfy(l -> {
                    assertThat(l.at("/mdc/request_id").asString()).isEqualTo(requestId);
                    assertThat(l.at("/mdc/principal").asString()).isEqualTo("alice");
                    assertThat(l.at("/mdc/tool").asString()).isEqualTo("host_list");
                    assertThat(l.path("formattedMessage").asString()).startsWith("tools/call host_list: error");
                    assertThat(l.path("level").asString()).isEqualTo("DEBUG");
                });
                assertThat(callLines)
                        .allSatisfy(l ->
                                assertThat(l.at("/mdc/principal").asString()).isEqualTo("alice"));
            }
        } finally {
            Appender<ILoggingEvent> file = root.getAppender("FILE");
            if (file != null) {
                root.detachAppender(file);
                file.stop();
            }
            appenders.stream()
                    .filter(a -> root.getAppender(a.getName()) == null)
                    .forEach(root::addAppender);
            root.setLevel(level);
        }
        // every line the server wrote, by whichever logger, at debug: the offending loggers are named on failure
        List<String> leaks = Files.readAllLines(log).stream()
                .filter(l -> l.contains(ALICE_KEY) || l.contains(SECRET))
                .map(l -> JSON.readTree(l).path("loggerName").asString() + ": "
                        + l.substring(0, Math.min(300, l.length())))
                .toList();
        assertThat(leaks).isEmpty();
    }
}
