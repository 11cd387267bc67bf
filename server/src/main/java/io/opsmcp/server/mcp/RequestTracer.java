package io.opsmcp.server.mcp;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.spec.McpSchema;
import io.opsmcp.telemetry.McpRequest;
import io.opsmcp.telemetry.McpTracing;
import io.opsmcp.telemetry.RequestSpan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * Opens the telemetry span of every MCP request where each transport hands requests to the SDK ({@link
 * CheckedServerSession} for stdio and HTTP+SSE, the streamable session, {@link CheckedStatelessTransport}) and puts
 * it in the request's MCP transport context under {@link McpTracing#CONTEXT_KEY}, where {@link GatewayToolAdapter}
 * makes it current around the gateway call so the tool call's span becomes its child. The parent comes from the
 * request's {@code params._meta.traceparent}, else from the HTTP request's {@code traceparent} header (put in the
 * transport context under {@link McpTracing#HTTP_TRACE_HEADERS} by the HTTP transport).
 */
public final class RequestTracer {

    /** Records nothing. */
    public static final RequestTracer OFF = new RequestTracer(McpTracing.OFF, "pipe");

    private final McpTracing tracing;
    private final String transport;

    /**
     * @param tracing   the telemetry's MCP tracing
     * @param transport OTel {@code network.transport}: {@code pipe} for stdio, {@code tcp} for HTTP
     */
    public RequestTracer(McpTracing tracing, String transport) {
        this.tracing = tracing;
        this.transport = transport;
    }

    /** {@code handling} inside the span of {@code request}: opened on subscription, ended when it terminates. */
    public <T> Mono<T> around(McpSchema.JSONRPCRequest request, String sessionId, Mono<T> handling) {
        if (!tracing.enabled()) {
            return handling;
        }
        return Mono.deferContextual(ctx -> {
            McpTransportContext context = ctx.getOrDefault(McpTransportContext.KEY, McpTransportContext.EMPTY);
            RequestSpan span = start(request, sessionId, context);
            return handling.contextWrite(c -> c.put(
                            McpTransportContext.KEY,
                            with(c.getOrDefault(McpTransportContext.KEY, McpTransportContext.EMPTY), span)))
                    .doOnError(e -> span.failed(e.getClass().getSimpleName()))
                    .doFinally(signal -> span.end());
        });
    }

    /** Opens the span of {@code request}; the caller ends it. {@link RequestSpan#NONE} when tracing is off. */
    public RequestSpan start(McpSchema.JSONRPCRequest request, String sessionId, McpTransportContext context) {
        return start(request.method(), request.id(), request.params(), sessionId, context);
    }

    /**
     * Opens the span of a request known by its parts (where the SDK hands over no JSON-RPC request, as for
     * {@code initialize} on streamable HTTP).
     */
    public RequestSpan start(
            String method, Object id, Object requestParams, String sessionId, McpTransportContext context) {
        if (!tracing.enabled()) {
            return RequestSpan.NONE;
        }
        Map<?, ?> params = requestParams instanceof Map<?, ?> m ? m : Map.of();
        String tool = McpSchema.METHOD_TOOLS_CALL.equals(method) && params.get("name") instanceof String s ? s : null;
        List<Map<String, String>> carriers = new ArrayList<>();
        if (params.get("_meta") instanceof Map<?, ?> meta) {
            carriers.add(traceFields(meta));
        }
        if (context.get(McpTracing.HTTP_TRACE_HEADERS) instanceof Map<?, ?> headers) {
            carriers.add(traceFields(headers));
        }
        return tracing.start(new McpRequest(
                method, id == null ? null : String.valueOf(id), sessionId, transport, tool, null, carriers));
    }

    /** {@code context} with {@code span} added under {@link McpTracing#CONTEXT_KEY}. */
    public static McpTransportContext with(McpTransportContext context, RequestSpan span) {
        return span == RequestSpan.NONE ? context : context.putAll(Map.of(McpTracing.CONTEXT_KEY, span));
    }

    private static Map<String, String> traceFields(Map<?, ?> source) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : List.of("traceparent", "tracestate")) {
            if (source.get(key) instanceof String value) {
                out.put(key, value);
            }
        }
        return out;
    }
}
