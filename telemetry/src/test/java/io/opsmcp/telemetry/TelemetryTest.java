package io.opsmcp.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opsmcp.guard.audit.AuditEvent.Phase;
import io.opsmcp.guard.observe.CallObserver;
import io.opsmcp.guard.observe.ObservedCall;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TelemetryTest {

    private static final TelemetrySettings METRICS_ONLY = new TelemetrySettings(
            "ops-mcp",
            new TelemetrySettings.Traces(
                    false,
                    TelemetrySettings.Protocol.HTTP_PROTOBUF,
                    URI.create(TelemetrySettings.DEFAULT_HTTP_ENDPOINT),
                    1.0,
                    Duration.ofSeconds(1),
                    Map.of()),
            new TelemetrySettings.Metrics(true, false));

    private static ObservedCall call(String tool, String toolset, ObservedCall.Decision decision, Phase outcome) {
        return new ObservedCall(
                tool,
                toolset,
                "alice",
                "req_1",
                new ObservedCall.Resource("aws", "ecs:service", "prod", "payments-api"),
                decision,
                outcome,
                Instant.parse("2026-12-05T00:00:00Z"),
                Duration.ofMillis(30),
                Duration.ofMillis(2),
                Duration.ofMillis(3),
                Duration.ofMillis(20));
    }

    @Test
    void offStartsNothingAndObservesNothing() {
        try (Telemetry off = Telemetry.start(TelemetrySettings.OFF, "1")) {
            assertThat(off.callObserver()).isSameAs(CallObserver.NONE);
            assertThat(off.scrape()).isEmpty();
            assertThat(off.tracing().enabled()).isFalse();
            assertThat(off.tracing().start(new McpRequest("tools/call", "1", null, "pipe", "x", null, List.of())))
                    .isSameAs(RequestSpan.NONE);
        }
    }

    @Test
    void metricLabelsAreClosedSetsWithoutPrincipalsOrResources() {
        try (Telemetry telemetry = Telemetry.start(METRICS_ONLY, "1")) {
            CallObserver observer = telemetry.callObserver();
            observer.callEnded(call("ecs_service_list", "aws", ObservedCall.Decision.ALLOW, Phase.SUCCEEDED));
            observer.callEnded(call("ecs_service_list", "aws", ObservedCall.Decision.DENY, Phase.DENIED));
            // a client-chosen name of a tool that does not exist must not become a series of its own
            observer.callEnded(
                    call("attacker_chosen_name_1", null, ObservedCall.Decision.REJECTED, Phase.UNKNOWN_TOOL));
            String text = telemetry.scrape().orElseThrow();
            assertThat(text)
                    .contains("opsmcp_tool_calls_total{decision=\"allow\",outcome=\"succeeded\","
                            + "tool=\"ecs_service_list\",toolset=\"aws\"} 1.0")
                    .contains("opsmcp_tool_denials_total{tool=\"ecs_service_list\"} 1.0")
                    .contains("opsmcp_tool_calls_total{decision=\"rejected\",outcome=\"unknown_tool\","
                            + "tool=\"_unknown\",toolset=\"_unknown\"} 1.0")
                    .contains("opsmcp_tool_duration_seconds_bucket{tool=\"ecs_service_list\",le=\"0.05\"} 2");
            assertThat(text).doesNotContain("attacker_chosen_name_1", "alice", "payments-api", "req_1");
        }
    }

    @Test
    void theToolCallSpanCarriesTheDecisionAndNoMore() {
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        List<SpanData> spans;
        try (SdkTracerProvider provider = SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                .build()) {
            Tracer tracer = provider.get("test");
            McpTracing tracing = new McpTracing(tracer, null, Set.of("ecs_service_update"));
            RequestSpan request = tracing.start(new McpRequest(
                    "tools/call",
                    "7",
                    "session-abc",
                    "tcp",
                    "ecs_service_update",
                    "2025-11-25",
                    List.of(Map.of("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))));
            try (RequestSpan.Activation ignored = request.activate()) {
                new ToolCallSpans(tracer)
                        .callEnded(call(
                                "ecs_service_update", "aws", ObservedCall.Decision.APPROVAL_REQUIRED, Phase.PENDING));
            }
            request.end();
            request.end(); // a second end is ignored
            spans = exporter.getFinishedSpanItems(); // before close: closing the provider clears the exporter
        }

        assertThat(spans)
                .extracting(SpanData::getName)
                .containsExactly("execute_tool ecs_service_update", "tools/call ecs_service_update");
        SpanData tool = spans.get(0);
        SpanData request = spans.get(1);
        assertThat(tool.getParentSpanId()).isEqualTo(request.getSpanId());
        assertThat(request.getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(request.getParentSpanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(request.getAttributes().get(AttributeKey.stringKey("mcp.session.id")))
                .isEqualTo(McpTracing.digest("session-abc"))
                .doesNotContain("session-abc");
        assertThat(tool.getAttributes().get(AttributeKey.stringKey("opsmcp.decision")))
                .isEqualTo("approval_required");
        assertThat(tool.getAttributes().get(AttributeKey.stringKey("opsmcp.resource.name")))
                .isEqualTo("payments-api");
        assertThat(tool.getAttributes().get(AttributeKey.doubleKey("opsmcp.tool.duration")))
                .isEqualTo(0.02);
        assertThat(tool.getEndEpochNanos() - tool.getStartEpochNanos())
                .isEqualTo(Duration.ofMillis(30).toNanos());
    }

    @Test
    void anUnknownMethodNamesNoSpanAfterItself() {
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        try (SdkTracerProvider provider = SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                .build()) {
            McpTracing tracing = new McpTracing(provider.get("test"), null, Set.of("host_list"));
            tracing.start(new McpRequest("x/evil-123", "1", null, "pipe", null, null, List.of()))
                    .end();
            tracing.start(new McpRequest("tools/call", "2", null, "pipe", "no_such_tool_42", null, List.of()))
                    .end();

            assertThat(exporter.getFinishedSpanItems())
                    .extracting(SpanData::getName)
                    .containsExactly("other", "tools/call");
        }
    }
}
