package io.opsmcp.server.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, telemetry over stdio: the real server in a child JVM exports the span of each MCP request (parent from
 * {@code params._meta.traceparent}, {@code network.transport=pipe}) and its tool call's span to an OTLP collector in
 * the test, flushed when stdin closes.
 */
class StdioRequestsAreTracedTest {

    private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
    private static final String PARENT = "b7ad6b7169203331";

    @TempDir
    Path dir;

    @Test
    void aToolCallOverStdioIsTracedFromTheClientsTraceparent() throws Exception {
        List<byte[]> exported = new CopyOnWriteArrayList<>();
        HttpServer collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        collector.createContext("/v1/traces", exchange -> {
            exported.add(exchange.getRequestBody().readAllBytes());
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        collector.start();
        try {
            Path config = dir.resolve("ops-mcp.yaml");
            Files.writeString(
                    config,
                    "telemetry:\n  traces:\n    enabled: true\n    endpoint: http://127.0.0.1:"
                            + collector.getAddress().getPort() + "/v1/traces\n");
            try (StdioServer server = new StdioServer(dir, "--config", config.toString())) {
                server.sendLine(
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                                + "\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}");
                assertThat(server.awaitId(1, new ArrayList<>(), 120))
                        .as(server.stderr())
                        .isNotNull();
                server.sendLine("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
                server.sendLine("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":"
                        + "\"host_list\",\"arguments\":{},\"_meta\":{\"traceparent\":\"00-" + TRACE_ID + "-" + PARENT
                        + "-01\"}}}");
                assertThat(server.awaitId(2, new ArrayList<>(), 60))
                        .as(server.stderr())
                        .isNotNull();
            }
            List<Span> spans = new ArrayList<>();
            for (byte[] body : exported) {
                ExportTraceServiceRequest.parseFrom(body)
                        .getResourceSpansList()
                        .forEach(r -> r.getScopeSpansList().forEach(s -> spans.addAll(s.getSpansList())));
            }
            Span request = spans.stream()
                    .filter(s -> s.getName().equals("tools/call host_list"))
                    .findFirst()
                    .orElseThrow(() ->
                            new AssertionError(spans.stream().map(Span::getName).toList()));
            Span call = spans.stream()
                    .filter(s -> s.getName().equals("execute_tool host_list"))
                    .findFirst()
                    .orElseThrow();
            assertThat(HexFormat.of().formatHex(request.getTraceId().toByteArray()))
                    .isEqualTo(TRACE_ID);
            assertThat(HexFormat.of().formatHex(request.getParentSpanId().toByteArray()))
                    .isEqualTo(PARENT);
            assertThat(call.getParentSpanId()).isEqualTo(request.getSpanId());
            assertThat(request.getAttributesList()).anySatisfy(kv -> {
                assertThat(kv.getKey()).isEqualTo("network.transport");
                assertThat(kv.getValue().getStringValue()).isEqualTo("pipe");
            });
            assertThat(spans).extracting(Span::getName).contains("initialize");
        } finally {
            collector.stop(0);
        }
    }
}
