package io.opsmcp.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opsmcp.guard.audit.AuditEvent.Phase;
import io.opsmcp.guard.observe.CallObserver;
import io.opsmcp.guard.observe.ObservedCall;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One span per guarded tool call, a child of the current context (the MCP request's span, made current by the
 * server around the gateway call). Named {@code execute_tool {gen_ai.tool.name}} (GenAI semantic conventions,
 * "Execute tool span"), kind INTERNAL, from the gateway's receipt of the call to its end; written once the call
 * ended, with the durations the guard measured as attributes (seconds, as OTel records durations).
 *
 * <p>Attributes: {@code gen_ai.operation.name=execute_tool}, {@code gen_ai.tool.name}, {@code enduser.id} (the
 * principal's id, nothing else of it), {@code opsmcp.toolset}, {@code opsmcp.request_id} (the audit record's),
 * {@code opsmcp.decision}, {@code opsmcp.outcome}, {@code opsmcp.resource.provider|kind|environment|name},
 * {@code opsmcp.policy.duration}, {@code opsmcp.audit.duration}, {@code opsmcp.tool.duration}. Status ERROR with
 * {@code error.type} = the outcome for {@code failed} and {@code timeout}. No arguments and no result are recorded.
 */
final class ToolCallSpans implements CallObserver {

    static final AttributeKey<String> PRINCIPAL = AttributeKey.stringKey("enduser.id");
    static final AttributeKey<String> TOOLSET = AttributeKey.stringKey("opsmcp.toolset");
    static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("opsmcp.request_id");
    static final AttributeKey<String> DECISION = AttributeKey.stringKey("opsmcp.decision");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("opsmcp.outcome");
    static final AttributeKey<String> RESOURCE_PROVIDER = AttributeKey.stringKey("opsmcp.resource.provider");
    static final AttributeKey<String> RESOURCE_KIND = AttributeKey.stringKey("opsmcp.resource.kind");
    static final AttributeKey<String> RESOURCE_ENVIRONMENT = AttributeKey.stringKey("opsmcp.resource.environment");
    static final AttributeKey<String> RESOURCE_NAME = AttributeKey.stringKey("opsmcp.resource.name");
    static final AttributeKey<Double> POLICY_DURATION = AttributeKey.doubleKey("opsmcp.policy.duration");
    static final AttributeKey<Double> AUDIT_DURATION = AttributeKey.doubleKey("opsmcp.audit.duration");
    static final AttributeKey<Double> TOOL_DURATION = AttributeKey.doubleKey("opsmcp.tool.duration");

    private final Tracer tracer;

    ToolCallSpans(Tracer tracer) {
        this.tracer = tracer;
    }

    @Override
    public void callEnded(ObservedCall call) {
        String tool = BoundedText.bounded(call.tool());
        long startNanos = TimeUnit.SECONDS.toNanos(call.started().getEpochSecond())
                + call.started().getNano();
        var builder = tracer.spanBuilder(call.known() ? "execute_tool " + tool : "execute_tool")
                .setSpanKind(SpanKind.INTERNAL)
                .setParent(Context.current())
                .setStartTimestamp(startNanos, TimeUnit.NANOSECONDS)
                .setAttribute(McpTracing.OPERATION, "execute_tool")
                .setAttribute(McpTracing.TOOL_NAME, tool)
                .setAttribute(PRINCIPAL, call.principalId())
                .setAttribute(DECISION, call.decision().wire())
                .setAttribute(OUTCOME, call.outcome().wire())
                .setAttribute(POLICY_DURATION, seconds(call.policy()))
                .setAttribute(AUDIT_DURATION, seconds(call.audit()))
                .setAttribute(TOOL_DURATION, seconds(call.execution()));
        if (call.toolset() != null) {
            builder.setAttribute(TOOLSET, call.toolset());
        }
        if (call.requestId() != null) {
            builder.setAttribute(REQUEST_ID, call.requestId());
        }
        ObservedCall.Resource r = call.resource();
        if (r != null) {
            setIfPresent(builder, RESOURCE_PROVIDER, r.provider());
            setIfPresent(builder, RESOURCE_KIND, r.kind());
            setIfPresent(builder, RESOURCE_ENVIRONMENT, r.environment());
            setIfPresent(builder, RESOURCE_NAME, r.name());
        }
        Span span = builder.startSpan();
        if (call.outcome() == Phase.FAILED || call.outcome() == Phase.TIMEOUT) {
            span.setStatus(StatusCode.ERROR);
            span.setAttribute(McpTracing.ERROR_TYPE, call.outcome().wire());
        }
        span.end(startNanos + call.total().toNanos(), TimeUnit.NANOSECONDS);
    }

    private static void setIfPresent(io.opentelemetry.api.trace.SpanBuilder b, AttributeKey<String> key, String v) {
        if (v != null) {
            b.setAttribute(key, BoundedText.bounded(v));
        }
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
