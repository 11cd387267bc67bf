package io.opsmcp.telemetry;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Spans for MCP requests, named and attributed after the OpenTelemetry semantic conventions for MCP (GenAI
 * conventions, "Model Context Protocol", status Development): span kind SERVER, name {@code {mcp.method.name}
 * {target}} where the target is the tool name of a {@code tools/call} of a registered tool, else
 * {@code {mcp.method.name}}; attributes {@code mcp.method.name}, {@code jsonrpc.request.id}, {@code mcp.session.id},
 * {@code mcp.protocol.version}, {@code network.transport}, {@code gen_ai.tool.name} and
 * {@code gen_ai.operation.name=execute_tool} for tool calls, {@code error.type} on failure.
 *
 * <p>The parent is the W3C {@code traceparent} in the request's {@code params._meta} (where the conventions say MCP
 * instrumentations propagate context), else the HTTP request's {@code traceparent} header. The session id is
 * recorded as the first 16 hex digits of its SHA-256: a trace backend's readers should not learn live session ids.
 *
 * <p>With a metrics registry it also records {@code mcp.server.operation.duration} (seconds) by
 * {@code mcp.method.name}, with unknown methods counted as {@code other} so a client cannot grow the label set.
 */
public final class McpTracing {

    /** Key of the request's {@link RequestSpan} in the MCP transport context. */
    public static final String CONTEXT_KEY = "io.opsmcp.telemetry.request-span";
    /** Key of the HTTP request's W3C trace headers ({@code Map<String,String>}) in the MCP transport context. */
    public static final String HTTP_TRACE_HEADERS = "io.opsmcp.telemetry.http-trace-headers";

    /** The MCP methods a server answers (2025-11-25 and 2026-07-28); others are {@code other} in metrics. */
    static final Set<String> METHODS = Set.of(
            "initialize",
            "ping",
            "tools/list",
            "tools/call",
            "resources/list",
            "resources/read",
            "resources/templates/list",
            "resources/subscribe",
            "resources/unsubscribe",
            "prompts/list",
            "prompts/get",
            "completion/complete",
            "logging/setLevel",
            "server/discover");

    /** Tracing and request metrics off. */
    public static final McpTracing OFF = new McpTracing(null, null, Set.of());

    private static final AttributeKey<String> METHOD = AttributeKey.stringKey("mcp.method.name");
    private static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("jsonrpc.request.id");
    private static final AttributeKey<String> SESSION_ID = AttributeKey.stringKey("mcp.session.id");
    private static final AttributeKey<String> PROTOCOL_VERSION = AttributeKey.stringKey("mcp.protocol.version");
    private static final AttributeKey<String> NETWORK_TRANSPORT = AttributeKey.stringKey("network.transport");
    static final AttributeKey<String> TOOL_NAME = AttributeKey.stringKey("gen_ai.tool.name");
    static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    private static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final Tracer tracer;
    private final MeterRegistry registry;
    private final Set<String> tools;

    /**
     * @param tracer   where spans go, or {@code null} for none
     * @param registry where request durations go, or {@code null} for none
     * @param tools    the registered tool names (a closed set): only these name a span
     */
    McpTracing(Tracer tracer, MeterRegistry registry, Set<String> tools) {
        this.tracer = tracer;
        this.registry = registry;
        this.tools = Set.copyOf(tools);
    }

    /** The same tracing with {@code tools} as the registered tool names. */
    McpTracing withTools(Set<String> tools) {
        return new McpTracing(tracer, registry, tools);
    }

    /** Whether anything is recorded; when not, {@link #start} returns {@link RequestSpan#NONE}. */
    public boolean enabled() {
        return tracer != null || registry != null;
    }

    /** Opens the span of one request; end it with {@link RequestSpan#end()} when the response was sent. */
    public RequestSpan start(McpRequest request) {
        if (!enabled()) {
            return RequestSpan.NONE;
        }
        String method = request.method() == null ? "" : request.method();
        String metricMethod = METHODS.contains(method) ? method : "other";
        long startNanos = System.nanoTime();
        Span span = null;
        Context context = Context.root();
        if (tracer != null) {
            Context parent = parent(request);
            boolean toolCall = "tools/call".equals(method) && request.toolName() != null;
            String name = toolCall && tools.contains(request.toolName())
                    ? method + " " + request.toolName()
                    : METHODS.contains(method) ? method : "other";
            var builder = tracer.spanBuilder(name)
                    .setSpanKind(SpanKind.SERVER)
                    .setParent(parent)
                    .setAttribute(METHOD, BoundedText.bounded(method));
            if (request.requestId() != null) {
                builder.setAttribute(REQUEST_ID, BoundedText.bounded(request.requestId()));
            }
            if (request.sessionId() != null) {
                builder.setAttribute(SESSION_ID, digest(request.sessionId()));
            }
            if (request.protocolVersion() != null) {
                builder.setAttribute(PROTOCOL_VERSION, BoundedText.bounded(request.protocolVersion()));
            }
            if (request.transport() != null) {
                builder.setAttribute(NETWORK_TRANSPORT, request.transport());
            }
            if (toolCall) {
                builder.setAttribute(TOOL_NAME, BoundedText.bounded(request.toolName()));
                builder.setAttribute(OPERATION, "execute_tool");
            }
            span = builder.startSpan();
            context = parent.with(span);
        }
        return new Open(span, context, metricMethod, startNanos);
    }

    private static Context parent(McpRequest request) {
        for (Map<String, String> carrier : request.carriers()) {
            if (carrier == null || carrier.get("traceparent") == null) {
                continue;
            }
            Context extracted = W3CTraceContextPropagator.getInstance().extract(Context.root(), carrier, GETTER);
            if (Span.fromContext(extracted).getSpanContext().isValid()) {
                return extracted;
            }
        }
        return Context.root();
    }

    /** First 16 hex digits of the SHA-256 of {@code text}: correlates a session's spans without revealing its id. */
    static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private final class Open implements RequestSpan {
        private final Span span;
        private final Context context;
        private final String method;
        private final long startNanos;
        private final AtomicBoolean ended = new AtomicBoolean();
        private volatile String errorType;

        Open(Span span, Context context, String method, long startNanos) {
            this.span = span;
            this.context = context;
            this.method = method;
            this.startNanos = startNanos;
        }

        @Override
        public Activation activate() {
            var scope = context.makeCurrent();
            return scope::close;
        }

        @Override
        public void failed(String type) {
            String bounded = BoundedText.bounded(type == null ? "_OTHER" : type);
            errorType = bounded;
            if (span != null) {
                span.setStatus(StatusCode.ERROR);
                span.setAttribute(ERROR_TYPE, bounded);
            }
        }

        @Override
        public void end() {
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            if (registry != null) {
                Timer.builder("mcp.server.operation.duration")
                        .description("MCP request duration as observed on the server, from receipt to response")
                        .tag("mcp.method.name", method)
                        .tag("error.type", errorType == null ? "none" : "error")
                        .serviceLevelObjectives(Buckets.LATENCY)
                        .register(registry)
                        .record(System.nanoTime() - startNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
            }
            if (span != null) {
                span.end();
            }
        }
    }
}
