package io.opsmcp.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opsmcp.server.OpsMcpRuntime;
import io.opsmcp.server.auth.ApiKeys;
import io.opsmcp.server.config.ConfigLoader;
import io.opsmcp.server.config.OpsMcpConfig;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, telemetry: one guarded {@code tools/call} over real HTTP is counted and timed at {@code GET /metrics}
 * (Prometheus text) and traced to an OTLP collector running in the test (the real OTLP/HTTP exporter posting protobuf
 * to {@code /v1/traces}); neither output carries the caller's API key or the secret the Redactor hides; without
 * {@code telemetry:} there is no {@code /metrics} and no exporter thread.
 */
class TelemetryOverHttpTest {

    private static final String API_KEY = "alice-api-key-0123456789abcdef";
    /** A GitLab token the Redactor hides, sent as an argument. */
    private static final String SECRET = "glpat-SECRETtoken1234567890ab";

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PARENT_SPAN = "00f067aa0ba902b7";
    private static final String META_TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
    private static final String META_PARENT_SPAN = "b7ad6b7169203331";

    @TempDir
    Path dir;

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<byte[]> exported = new CopyOnWriteArrayList<>();
    private HttpServer collector;

    /** The OTLP/HTTP collector: keeps every POST /v1/traces body, answers an empty ExportTraceServiceResponse. */
    private int startCollector() throws Exception {
        collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        collector.createContext("/v1/traces", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if ("POST".equals(exchange.getRequestMethod())) {
                exported.add(body);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        collector.start();
        return collector.getAddress().getPort();
    }

    @AfterEach
    void stopCollector() {
        if (collector != null) {
            collector.stop(0);
        }
    }

    private OpsMcpRuntime start(String yaml) throws Exception {
        Path file = dir.resolve("ops-mcp.yaml");
        Files.writeString(file, yaml);
        OpsMcpConfig config = new ConfigLoader(Map.of())
                .load(
                        file,
                        new ConfigLoader.Overrides(
                                "http", null, 0, List.of("hosts"), true, "warn", dir.resolve("data")));
        return OpsMcpRuntime.start(config);
    }

    private static String keys() {
        return "auth:\n  api_keys:\n    - {principal: alice, roles: [sre], sha256: " + ApiKeys.sha256Hex(API_KEY)
                + "}\n";
    }

    private HttpResponse<String> post(int port, String body, Map<String, String> headers) throws Exception {
        var builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/mcp"))
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .header("Authorization", "Bearer " + API_KEY);
        headers.forEach(builder::header);
        return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(int port, String path, Map<String, String> headers) throws Exception {
        var builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20))
                .GET();
        headers.forEach(builder::header);
        return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** initialize + notifications/initialized on streamable HTTP; returns the session id. */
    private String session(int port) throws Exception {
        HttpResponse<String> init = post(
                port,
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                        + "\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}",
                Map.of());
        assertThat(init.statusCode()).as(init.body()).isEqualTo(200);
        String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        HttpResponse<String> initialized = post(
                port,
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
                Map.of("Mcp-Session-Id", session, "MCP-Protocol-Version", "2025-11-25"));
        assertThat(initialized.statusCode()).isBetween(200, 299);
        return session;
    }

    @Test
    void oneGuardedCallIsCountedTimedAndTracedWithoutSecrets() throws Exception {
        int collectorPort = startCollector();
        String yaml = keys()
                + "telemetry:\n"
                + "  traces:\n"
                + "    enabled: true\n"
                + "    endpoint: http://127.0.0.1:" + collectorPort + "/v1/traces\n"
                + "  metrics:\n"
                + "    enabled: true\n";
        String metrics;
        String sessionId;
        try (OpsMcpRuntime runtime = start(yaml);
                HttpTransport http = HttpTransport.start(runtime)) {
            int port = http.port();
            sessionId = session(port);
            Map<String, String> inSession = Map.of("Mcp-Session-Id", sessionId, "MCP-Protocol-Version", "2025-11-25");

            // An allowed read, its parent in the HTTP traceparent header.
            Map<String, String> traced = new LinkedHashMap<>(inSession);
            traced.put("traceparent", "00-" + TRACE_ID + "-" + PARENT_SPAN + "-01");
            HttpResponse<String> list = post(
                    port,
                    "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"host_list\","
                            + "\"arguments\":{}}}",
                    traced);
            assertThat(list.body()).as(list.body()).contains("\"isError\":false");

            // A change that needs approval, with a secret argument, its parent in params._meta (which wins).
            HttpResponse<String> restart = post(
                    port,
                    "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":"
                            + "\"host_service_restart\",\"arguments\":{\"host\":\"sandbox-staging\",\"unit\":\""
                            + SECRET + "\"},\"_meta\":{\"traceparent\":\"00-" + META_TRACE_ID + "-"
                            + META_PARENT_SPAN + "-01\"}}}",
                    traced);
            assertThat(restart.body()).as(restart.body()).contains("Approval required");

            // Not public: authenticated like every endpoint; Host/Origin checked like every endpoint.
            assertThat(get(port, "/metrics", Map.of()).statusCode()).isEqualTo(401);
            assertThat(get(
                                    port,
                                    "/metrics",
                                    Map.of("Authorization", "Bearer " + API_KEY, "Origin", "http://evil.example"))
                            .statusCode())
                    .isEqualTo(403);
            HttpResponse<String> scrape = get(port, "/metrics", Map.of("Authorization", "Bearer " + API_KEY));
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
            metrics = scrape.body();
        }

        assertThat(metrics)
                .contains("opsmcp_tool_calls_total{decision=\"allow\",outcome=\"succeeded\",tool=\"host_list\","
                        + "toolset=\"hosts\"} 1.0")
                .contains("opsmcp_tool_calls_total{decision=\"approval_required\",outcome=\"pending\","
                        + "tool=\"host_service_restart\",toolset=\"hosts\"} 1.0")
                .contains("opsmcp_guard_decisions_total{decision=\"allow\"} 1.0")
                .contains("opsmcp_guard_decisions_total{decision=\"approval_required\"} 1.0")
                .contains("opsmcp_tool_duration_seconds_bucket{tool=\"host_list\",le=\"0.005\"}")
                .contains("opsmcp_tool_duration_seconds_bucket{tool=\"host_list\",le=\"60.0\"} 1")
                .contains("opsmcp_tool_duration_seconds_count{tool=\"host_list\"} 1")
                .contains("opsmcp_approvals_pending 1.0")
                .contains("opsmcp_audit_append_seconds_bucket{")
                .contains("opsmcp_policy_evaluation_seconds_count{decision=\"allow\"}")
                .contains(
                        "mcp_server_operation_duration_seconds_count{error_type=\"none\",mcp_method_name=\"tools/call\"}")
                .contains("jvm_memory_used_bytes")
                .contains("jvm_gc_")
                .contains("jvm_threads_live_threads")
                .contains("jvm_classes_loaded_classes")
                .contains("process_cpu_usage")
                .contains("process_uptime_seconds");
        // Principals and resources are never labels; no secret reaches the text.
        assertThat(metrics).doesNotContain("alice", "sandbox-staging", SECRET, "glpat-", API_KEY, sessionId);

        // The runtime is closed: the batch processor has flushed every span to the collector.
        assertThat(exported).isNotEmpty();
        List<Span> spans = new ArrayList<>();
        String serviceName = null;
        for (byte[] body : exported) {
            String raw = new String(body, StandardCharsets.ISO_8859_1);
            assertThat(raw).doesNotContain(SECRET, "glpat-", API_KEY, "Bearer", sessionId);
            ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body);
            for (var resourceSpans : request.getResourceSpansList()) {
                serviceName = attributes(resourceSpans.getResource().getAttributesList())
                        .get("service.name");
                resourceSpans.getScopeSpansList().forEach(scope -> spans.addAll(scope.getSpansList()));
            }
        }
        assertThat(serviceName).isEqualTo("ops-mcp");

        Span listCall = named(spans, "execute_tool host_list");
        Map<String, String> listAttributes = attributes(listCall.getAttributesList());
        assertThat(listAttributes)
                .containsEntry("gen_ai.operation.name", "execute_tool")
                .containsEntry("gen_ai.tool.name", "host_list")
                .containsEntry("enduser.id", "alice")
                .containsEntry("opsmcp.toolset", "hosts")
                .containsEntry("opsmcp.decision", "allow")
                .containsEntry("opsmcp.outcome", "succeeded")
                .containsKeys(
                        "opsmcp.request_id",
                        "opsmcp.resource.kind",
                        "opsmcp.policy.duration",
                        "opsmcp.audit.duration",
                        "opsmcp.tool.duration");
        assertThat(Double.parseDouble(listAttributes.get("opsmcp.policy.duration")))
                .isGreaterThan(0);
        assertThat(Double.parseDouble(listAttributes.get("opsmcp.tool.duration")))
                .isGreaterThan(0);

        // Its parent is the MCP request's SERVER span, itself the child of the HTTP request's traceparent.
        Span listRequest = named(spans, "tools/call host_list");
        assertThat(listRequest.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
        assertThat(listCall.getParentSpanId()).isEqualTo(listRequest.getSpanId());
        assertThat(hex(listRequest.getTraceId())).isEqualTo(TRACE_ID);
        assertThat(hex(listRequest.getParentSpanId())).isEqualTo(PARENT_SPAN);
        Map<String, String> requestAttributes = attributes(listRequest.getAttributesList());
        assertThat(requestAttributes)
                .containsEntry("mcp.method.name", "tools/call")
                .containsEntry("jsonrpc.request.id", "2")
                .containsEntry("network.transport", "tcp")
                .containsEntry("gen_ai.tool.name", "host_list");
        assertThat(requestAttributes.get("mcp.session.id")).matches("[0-9a-f]{16}");

        Span restartCall = named(spans, "execute_tool host_service_restart");
        assertThat(attributes(restartCall.getAttributesList()))
                .containsEntry("opsmcp.decision", "approval_required")
                .containsEntry("opsmcp.outcome", "pending")
                .containsEntry("enduser.id", "alice");
        Span restartRequest = named(spans, "tools/call host_service_restart");
        assertThat(hex(restartRequest.getTraceId()))
                .as("params._meta.traceparent wins")
                .isEqualTo(META_TRACE_ID);
        assertThat(hex(restartRequest.getParentSpanId())).isEqualTo(META_PARENT_SPAN);
        assertThat(restartCall.getTraceId()).isEqualTo(restartRequest.getTraceId());

        assertThat(spans).extracting(Span::getName).contains("initialize");
    }

    @Test
    void publicMetricsNeedNoKeyButStillPassTheOriginCheck() throws Exception {
        String yaml = keys() + "telemetry:\n  metrics:\n    enabled: true\n    public: true\n";
        try (OpsMcpRuntime runtime = start(yaml);
                HttpTransport http = HttpTransport.start(runtime)) {
            HttpResponse<String> open = get(http.port(), "/metrics", Map.of());
            assertThat(open.statusCode()).isEqualTo(200);
            assertThat(open.body()).contains("jvm_memory_used_bytes");
            assertThat(get(http.port(), "/metrics", Map.of("Origin", "http://evil.example"))
                            .statusCode())
                    .isEqualTo(403);
            // Only GET /metrics is open: the MCP endpoint still needs the key.
            HttpResponse<String> mcp = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + "/mcp"))
                            .POST(HttpRequest.BodyPublishers.ofString("{}"))
                            .header("Content-Type", "application/json")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(mcp.statusCode()).isEqualTo(401);
            assertThat(runtime.telemetry().tracesEnabled()).isFalse();
        }
    }

    @Test
    void withoutTelemetryThereIsNoMetricsRouteAndNoExporterThread() throws Exception {
        Set<Long> before =
                Thread.getAllStackTraces().keySet().stream().map(Thread::getId).collect(Collectors.toSet());
        try (OpsMcpRuntime runtime = start("{}\n");
                HttpTransport http = HttpTransport.start(runtime)) {
            int port = http.port();
            HttpResponse<String> call = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/mcp"))
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
                                            + "\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},"
                                            + "\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}"))
                            .header("Content-Type", "application/json")
                            .header("Accept", "application/json, text/event-stream")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(call.statusCode()).isEqualTo(200);
            assertThat(get(port, "/metrics", Map.of()).statusCode()).isEqualTo(404);
            assertThat(runtime.telemetry().tracesEnabled()).isFalse();
            assertThat(runtime.telemetry().metricsEnabled()).isFalse();
            List<String> started = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> !before.contains(t.getId()))
                    .map(Thread::getName)
                    .filter(n -> n.contains("BatchSpanProcessor") || n.contains("OkHttp") || n.contains("otel"))
                    .toList();
            assertThat(started).isEmpty();
        }
    }

    private static Span named(List<Span> spans, String name) {
        return spans.stream()
                .filter(s -> s.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no span " + name + " in "
                        + spans.stream().map(Span::getName).toList()));
    }

    private static Map<String, String> attributes(List<KeyValue> list) {
        Map<String, String> out = new LinkedHashMap<>();
        for (KeyValue kv : list) {
            var v = kv.getValue();
            out.put(
                    kv.getKey(),
                    v.hasStringValue()
                            ? v.getStringValue()
                            : v.hasDoubleValue()
                                    ? Double.toString(v.getDoubleValue())
                                    : v.hasIntValue() ? Long.toString(v.getIntValue()) : v.toString());
        }
        return out;
    }

    private static String hex(com.google.protobuf.ByteString bytes) {
        return HexFormat.of().formatHex(bytes.toByteArray());
    }
}
