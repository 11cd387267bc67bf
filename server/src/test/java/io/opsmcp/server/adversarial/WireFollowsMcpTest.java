package io.opsmcp.server.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 13, item 4: the wire defects, each on every transport it applies to (stdio, streamable HTTP, legacy
 * HTTP+SSE), asserting what MCP 2025-11-25 requires. The SDK was at fault for all of them; the fixes are in
 * {@code ProtocolChecks} and the transport wrappers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WireFollowsMcpTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String KEY = "alice-key";
    private static final String INITIALIZE = """
            {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25",\
            "capabilities":{},"clientInfo":{"name":"wire","version":"1"}}}""";
    private static final String INITIALIZED = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";

    enum Transport {
        STDIO,
        STREAMABLE,
        SSE
    }

    private Path dir;
    private HttpTarget http;
    private StdioServer stdio;
    private String streamableSession;
    private SseSession sse;
    private final AtomicInteger ids = new AtomicInteger(100);

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("wire");
        http = HttpTarget.start(dir, "auth:\n  api_keys:\n" + HttpTarget.key("alice", "sre", KEY));
        streamableSession = http.initialize(KEY);
        sse = SseSession.open(http);
        sse.post(INITIALIZE);
        assertThat(sse.awaitId(1)).isNotNull();
        sse.post(INITIALIZED);
        Files.createDirectories(dir.resolve("stdio"));
        stdio = new StdioServer(dir.resolve("stdio"));
        stdio.sendLine(INITIALIZE);
        assertThat(stdio.awaitId(1, new ArrayList<>(), 60)).isNotNull();
        stdio.sendLine(INITIALIZED);
    }

    @AfterAll
    void stop() throws Exception {
        if (sse != null) {
            sse.close();
        }
        if (stdio != null) {
            stdio.close();
        }
        if (http != null) {
            http.close();
        }
    }

    /** Sends a request with a fresh id on {@code transport}'s initialized session; returns the response. */
    private JsonNode call(Transport transport, String method, String params) throws Exception {
        int id = ids.incrementAndGet();
        String body = "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\""
                + (params == null ? "" : ",\"params\":" + params) + "}";
        JsonNode response = switch (transport) {
            case STDIO -> {
                stdio.sendLine(body);
                yield stdio.awaitId(id, new ArrayList<>(), 30);
            }
            case STREAMABLE -> {
                HttpResponse<String> answer =
                        http.send("POST", "/mcp", body, HttpTarget.mcpHeaders(KEY, streamableSession));
                yield dataLines(answer.body()).stream()
                        .filter(m -> m.path("id").asInt() == id)
                        .findFirst()
                        .orElse(null);
            }
            case SSE -> {
                sse.post(body);
                yield sse.awaitId(id);
            }
        };
        assertThat(response).as("answer to %s on %s", method, transport).isNotNull();
        return response;
    }

    private static void assertInvalidParams(JsonNode response, String mentioned) {
        assertThat(response.path("error").path("code").asInt())
                .as(response.toString())
                .isEqualTo(-32602);
        assertThat(response.path("error").path("message").asString()).contains(mentioned);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void unknownToolIsReportedByItsName(Transport transport) throws Exception {
        JsonNode response = call(transport, "tools/call", "{\"name\":\"no_such_tool\",\"arguments\":{}}");
        assertInvalidParams(response, "Unknown tool: no_such_tool");
        assertThat(response.toString()).doesNotContain("invalid_tool_name");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void argumentsThatAreNotAnObjectAreInvalidParams(Transport transport) throws Exception {
        for (String arguments : List.of("\"x\"", "[1]", "7")) {
            JsonNode response =
                    call(transport, "tools/call", "{\"name\":\"host_list\",\"arguments\":" + arguments + "}");
            assertInvalidParams(response, "arguments must be an object");
            assertThat(response.toString()).doesNotContain("jackson").doesNotContain("Exception");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void resourceMethodsWithoutUriAreInvalidParams(Transport transport) throws Exception {
        for (String method : List.of("resources/read", "resources/subscribe", "resources/unsubscribe")) {
            assertInvalidParams(call(transport, method, "{}"), "uri is required");
            assertInvalidParams(call(transport, method, "{\"uri\":\"\"}"), "uri is required");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void unknownLogLevelIsInvalidParams(Transport transport) throws Exception {
        assertInvalidParams(call(transport, "logging/setLevel", "{\"level\":\"bogus\"}"), "level must be one of");
        assertInvalidParams(call(transport, "logging/setLevel", "{}"), "level must be one of");
        assertThat(call(transport, "logging/setLevel", "{\"level\":\"warning\"}")
                        .has("result"))
                .isTrue();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void everyCursorIsInvalidBecauseNoneIsIssued(Transport transport) throws Exception {
        for (String method : List.of("tools/list", "resources/list", "resources/templates/list", "prompts/list")) {
            assertInvalidParams(call(transport, method, "{\"cursor\":\"not-a-cursor\"}"), "Invalid cursor");
            JsonNode page = call(transport, method, "{}");
            assertThat(page.path("result").has("nextCursor"))
                    .as("no cursor is issued on %s", method)
                    .isFalse();
        }
    }

    @Test
    void pingIsAnsweredBeforeInitializedOnStdio() throws Exception {
        Path stdioDir = Files.createDirectories(dir.resolve("stdio-ping"));
        try (StdioServer fresh = new StdioServer(stdioDir)) {
            fresh.sendLine("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"ping\"}");
            assertThat(fresh.awaitId(5, new ArrayList<>(), 60))
                    .as("before initialize")
                    .isNotNull();
            fresh.sendLine(INITIALIZE);
            assertThat(fresh.awaitId(1, new ArrayList<>(), 30)).isNotNull();
            fresh.sendLine("{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"ping\"}");
            JsonNode pong = fresh.awaitId(6, new ArrayList<>(), 30);
            assertThat(pong).as("before notifications/initialized").isNotNull();
            assertThat(pong.path("result").isObject()).isTrue();
        }
    }

    @Test
    void pingIsAnsweredBeforeInitializedOverHttp() throws Exception {
        HttpResponse<String> init = http.send("POST", "/mcp", INITIALIZE, HttpTarget.mcpHeaders(KEY, null));
        String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        HttpResponse<String> pong = http.send(
                "POST",
                "/mcp",
                "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"ping\"}",
                HttpTarget.mcpHeaders(KEY, session));
        assertThat(dataLines(pong.body())).anyMatch(m -> m.path("id").asInt() == 5 && m.has("result"));

        try (SseSession fresh = SseSession.open(http)) {
            fresh.post("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"ping\"}");
            assertThat(fresh.awaitId(5)).as("SSE, before initialize").isNotNull();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1999-01-01", "2025-13-45", "latest"})
    void unsupportedProtocolVersionHeaderIs400(String version) throws Exception {
        List<String> headers = new ArrayList<>(List.of(HttpTarget.mcpHeaders(KEY, streamableSession)));
        headers.addAll(List.of("MCP-Protocol-Version", version));
        HttpResponse<String> answer = http.send(
                "POST", "/mcp", "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"ping\"}", headers.toArray(String[]::new));
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(answer.body()).path("error").path("message").asString())
                .contains("MCP-Protocol-Version");

        headers.set(headers.size() - 1, "2025-11-25");
        assertThat(http.send(
                                "POST",
                                "/mcp",
                                "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"ping\"}",
                                headers.toArray(String[]::new))
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void missingOrUnknownSessionsGetJsonRpcErrorsWithoutJavaInternals() throws Exception {
        String ping = "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"ping\"}";
        List<HttpResponse<String>> answers = List.of(
                http.send("POST", "/mcp", ping, HttpTarget.mcpHeaders(KEY, null)),
                http.send("POST", "/mcp", ping, HttpTarget.mcpHeaders(KEY, "no-such-session")),
                http.send("GET", "/mcp", null, "Authorization", "Bearer " + KEY, "Accept", "text/event-stream"),
                http.send("DELETE", "/mcp", null, "Authorization", "Bearer " + KEY),
                http.send(
                        "POST", "/message", ping, "Authorization", "Bearer " + KEY, "Content-Type", "application/json"),
                http.send(
                        "POST",
                        "/message?sessionId=no-such-session",
                        ping,
                        "Authorization",
                        "Bearer " + KEY,
                        "Content-Type",
                        "application/json"));
        for (HttpResponse<String> answer : answers) {
            String where = answer.request().method() + " " + answer.request().uri();
            assertThat(answer.statusCode()).as(where).isIn(400, 404);
            JsonNode body = JSON.readTree(answer.body());
            assertThat(body.path("jsonrpc").asString()).as(where).isEqualTo("2.0");
            assertThat(body.path("error").path("code").isIntegralNumber())
                    .as(where)
                    .isTrue();
            assertThat(answer.body())
                    .as(where)
                    .doesNotContain("stackTrace")
                    .doesNotContain("Exception")
                    .doesNotContain("at io.");
        }
    }

    /**
     * Requests in a session are read by the direct path (its own reading of the usual request shape) or, for any
     * other shape, by the SDK's: either way the answer carries the id as sent (a string stays a string, a 64-bit
     * integer keeps its value), a request with a member JSON-RPC does not define is still answered, and a request
     * without a usable id gets no result.
     */
    @Test
    void requestsOfEveryShapeAreAnsweredWithTheirIdAsSent() throws Exception {
        String big = "1099511627776"; // 2^40: a Long, not an Integer
        Map<String, String> bodies = Map.of(
                "\"s-1\"",
                "{\"jsonrpc\":\"2.0\",\"id\":\"s-1\",\"method\":\"tools/list\"}",
                // non-ASCII (two-, three- and four-byte UTF-8) comes back as sent, within the declared length
                "\"é-✓-\uD83D\uDE00\"",
                "{\"jsonrpc\":\"2.0\",\"id\":\"é-✓-\uD83D\uDE00\",\"method\":\"ping\"}",
                big,
                "{\"jsonrpc\":\"2.0\",\"id\":" + big + ",\"method\":\"ping\",\"params\":{}}",
                "7",
                "{\"method\":\"ping\",\"id\":7,\"extra\":true,\"jsonrpc\":\"2.0\"}",
                "8",
                "{\"params\":{\"_meta\":{\"k\":[1,2.5,null]}},\"method\":\"ping\",\"jsonrpc\":\"2.0\",\"id\":8}");
        for (Map.Entry<String, String> e : bodies.entrySet()) {
            HttpResponse<String> answer =
                    http.send("POST", "/mcp", e.getValue(), HttpTarget.mcpHeaders(KEY, streamableSession));
            JsonNode response = dataLines(answer.body()).stream()
                    .filter(m -> m.has("result") || m.has("error"))
                    .findFirst()
                    .orElse(null);
            assertThat(response).as(e.getValue() + " -> " + answer.body()).isNotNull();
            assertThat(response.get("id").toString()).as(e.getValue()).isEqualTo(e.getKey());
            assertThat(response.has("result")).as(response.toString()).isTrue();
            if (e.getKey().startsWith("\"é")) { // the direct path's whole answer: its length counts bytes
                assertThat(answer.headers().firstValueAsLong("Content-Length").orElse(-1))
                        .as(e.getValue())
                        .isEqualTo(answer.body().getBytes(StandardCharsets.UTF_8).length);
            }
        }
        for (String noId : List.of(
                "{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ping\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"ping\"}",
                "{\"jsonrpc\":\"\",\"id\":9,\"method\":\"ping\"}")) {
            HttpResponse<String> answer =
                    http.send("POST", "/mcp", noId, HttpTarget.mcpHeaders(KEY, streamableSession));
            assertThat(dataLines(answer.body()).stream().filter(m -> m.has("result")))
                    .as(noId + " -> " + answer.statusCode() + " " + answer.body())
                    .isEmpty();
        }
    }

    @Test
    void everySseEventHasItsOwnIdAndStreamsArePrimedFrom20251125() throws Exception {
        // streamableSession asked for 2025-06-18: ids, but no priming event (older clients may choke on it).
        List<String> oldIds = eventIds(streamableSession, false);
        assertThat(oldIds).hasSize(3).doesNotHaveDuplicates().doesNotContain(streamableSession);

        HttpResponse<String> init = http.send("POST", "/mcp", INITIALIZE, HttpTarget.mcpHeaders(KEY, null));
        String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        http.send("POST", "/mcp", INITIALIZED, HttpTarget.mcpHeaders(KEY, session));
        assertThat(eventIds(session, true)).hasSize(6).doesNotHaveDuplicates().doesNotContain(session);
    }

    /** The SSE event ids of three tools/list answers on {@code session}, asserting each starts with a priming event. */
    private List<String> eventIds(String session, boolean primed) throws Exception {
        List<String> eventIds = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> answer = http.send(
                    "POST",
                    "/mcp",
                    "{\"jsonrpc\":\"2.0\",\"id\":" + (50 + i) + ",\"method\":\"tools/list\"}",
                    HttpTarget.mcpHeaders(KEY, session));
            // An answer without notifications goes out whole: one SSE stream with its length, not chunked.
            assertThat(answer.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
            assertThat(answer.headers().firstValueAsLong("Content-Length").orElse(-1))
                    .isEqualTo(answer.body().getBytes(StandardCharsets.UTF_8).length);
            String body = answer.body().replace("\r\n", "\n");
            String head = body.substring(0, Math.min(80, body.length()));
            // SEP-1699: the first event primes the client: an id, a retry delay and empty data.
            assertThat(body.matches("(?s)^id:\\d+\nretry:\\d+\ndata:\n\n.*"))
                    .as(head)
                    .isEqualTo(primed);
            Matcher m = Pattern.compile("(?m)^id:(.*)$").matcher(body);
            while (m.find()) {
                eventIds.add(m.group(1).trim());
            }
        }
        return eventIds;
    }

    @Test
    void aReconnectingGetWithLastEventIdGetsAPrimedListeningStream() throws Exception {
        HttpResponse<String> init = http.send("POST", "/mcp", INITIALIZE, HttpTarget.mcpHeaders(KEY, null));
        String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        http.send("POST", "/mcp", INITIALIZED, HttpTarget.mcpHeaders(KEY, session));
        HttpResponse<InputStream> stream = http.client
                .sendAsync(
                        HttpRequest.newBuilder(http.uri("/mcp"))
                                .header("Authorization", "Bearer " + KEY)
                                .header("Accept", "text/event-stream")
                                .header("Mcp-Session-Id", session)
                                .header("Last-Event-ID", "1")
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofInputStream())
                .get(15, TimeUnit.SECONDS);
        try (InputStream body = stream.body()) {
            assertThat(stream.statusCode()).isEqualTo(200);
            BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
            assertThat(lines.readLine()).matches("id:\\d+");
            assertThat(lines.readLine()).matches("retry:\\d+");
        }
    }

    @Test
    void rootsListChangedWithoutAGetStreamIsAccepted() throws Exception {
        HttpResponse<String> answer = http.send(
                "POST",
                "/mcp",
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/roots/list_changed\"}",
                HttpTarget.mcpHeaders(KEY, streamableSession));
        assertThat(answer.statusCode()).isEqualTo(202);
        // Over HTTP+SSE the SDK asks the client for its roots; the POST is not held for that answer.
        long start = System.nanoTime();
        sse.post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/roots/list_changed\"}");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(call(Transport.SSE, "ping", null).has("result")).isTrue();
    }

    /** The JSON of every {@code data:} line of an SSE body that holds a message. */
    static List<JsonNode> dataLines(String sseBody) {
        List<JsonNode> messages = new ArrayList<>();
        for (String line : sseBody.split("\r?\n")) {
            if (line.startsWith("data:") && line.length() > 5) {
                messages.add(JSON.readTree(line.substring(5)));
            }
        }
        return messages;
    }

    /** A legacy HTTP+SSE session: the {@code GET /sse} stream read on a thread, messages posted to its endpoint. */
    static final class SseSession implements AutoCloseable {
        private final HttpTarget http;
        private final InputStream stream;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final String endpoint;

        private SseSession(HttpTarget http, InputStream stream) throws InterruptedException {
            this.http = http;
            this.stream = stream;
            Thread reader = new Thread(
                    () -> {
                        try (BufferedReader in =
                                new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                            for (String line = in.readLine(); line != null; line = in.readLine()) {
                                lines.add(line);
                            }
                        } catch (java.io.IOException ended) {
                            // the stream was closed
                        }
                    },
                    "sse-reader");
            reader.setDaemon(true);
            reader.start();
            String found = null;
            for (int i = 0; i < 100 && found == null; i++) {
                String line = lines.poll(30, TimeUnit.SECONDS);
                if (line != null && line.startsWith("data:/message")) {
                    found = line.substring(5);
                }
            }
            this.endpoint = found;
        }

        static SseSession open(HttpTarget http) throws Exception {
            HttpResponse<InputStream> response = http.client.send(
                    HttpRequest.newBuilder(http.uri("/sse"))
                            .header("Authorization", "Bearer " + KEY)
                            .header("Accept", "text/event-stream")
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            return new SseSession(http, response.body());
        }

        void post(String message) throws Exception {
            HttpResponse<String> answer = http.send(
                    "POST", endpoint, message, "Authorization", "Bearer " + KEY, "Content-Type", "application/json");
            assertThat(answer.statusCode()).as(answer.body()).isBetween(200, 202);
        }

        JsonNode awaitId(int id) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < end) {
                String line = lines.poll(1, TimeUnit.SECONDS);
                if (line != null && line.startsWith("data:{")) {
                    JsonNode m = JSON.readTree(line.substring(5));
                    if (m.path("id").asInt(-1) == id && !m.has("method")) {
                        return m;
                    }
                }
            }
            return null;
        }

        @Override
        public void close() throws Exception {
            stream.close();
        }
    }
}
