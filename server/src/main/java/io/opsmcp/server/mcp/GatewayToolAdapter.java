package io.opsmcp.server.mcp;

import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import io.opsmcp.core.tool.LogLevel;
import io.opsmcp.core.tool.Principal;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.guard.approval.InBandApprover;
import io.opsmcp.guard.gateway.ToolGateway;
import io.opsmcp.server.LogSetup;
import io.opsmcp.telemetry.McpTracing;
import io.opsmcp.telemetry.RequestSpan;
import io.opsmcp.toolkit.CompactJson;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Publishes the gateway's tools as MCP tools: definitions become {@code tools/list} entries, and every
 * {@code tools/call} goes through {@link ToolGateway#call}. Progress and log messages from a tool reach the
 * client as {@code notifications/progress} (when the request carried a progress token) and
 * {@code notifications/message} (filtered by the client's {@code logging/setLevel}). A
 * {@code notifications/cancelled} for the request ({@link InFlightRequests}) cancels the gateway call: the tool stops
 * its remote work and the audit records the call as cancelled.
 */
public final class GatewayToolAdapter {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    private static final Logger log = LoggerFactory.getLogger(GatewayToolAdapter.class);

    private final ToolGateway gateway;
    private final JsonMapper json;
    /**
     * Source of the request ids: the same kind of generator {@code UUID.randomUUID} draws from, eight bytes per call
     * instead of sixteen and no UUID text to cut down. Made at the first call, as {@code UUID} made its own, so that
     * start-up does not pay for the provider look-up.
     */
    private volatile SecureRandom ids;

    private final PrincipalResolver principals;

    /** Resolves who is calling from the MCP exchange (transport context). */
    @FunctionalInterface
    public interface PrincipalResolver {
        Principal resolve(McpSyncServerExchange exchange);
    }

    public GatewayToolAdapter(ToolGateway gateway, JsonMapper json, PrincipalResolver principals) {
        this.gateway = gateway;
        this.json = json;
        this.principals = principals;
    }

    /** One SDK tool specification per registered tool. */
    public McpFeatures features() {
        List<SyncToolSpecification> specs = gateway.tools().stream()
                .map(t -> SyncToolSpecification.builder()
                        .tool(toMcp(t.published()))
                        .callHandler(this::call)
                        .build())
                .toList();
        return new McpFeatures(specs, List.of(), List.of(), List.of(), List.of());
    }

    private McpSchema.Tool toMcp(ToolDefinition def) {
        var annotations = McpSchema.ToolAnnotations.builder()
                .title(def.title())
                .readOnlyHint(def.annotations().readOnlyHint())
                .destructiveHint(def.annotations().destructiveHint())
                .idempotentHint(def.annotations().idempotentHint())
                .openWorldHint(def.annotations().openWorldHint())
                .build();
        var builder = McpSchema.Tool.builder(def.name(), json.convertValue(def.inputSchema(), MAP))
                .title(def.title())
                .description(def.description())
                .annotations(annotations);
        if (def.outputSchema() != null) {
            builder.outputSchema(json.convertValue(def.outputSchema(), MAP));
        }
        return builder.build();
    }

    private McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        ToolContext.Progress progress = progress(exchange, request);
        ToolContext.Log clientLog = (level, message) -> exchange.loggingNotification(
                new McpSchema.LoggingMessageNotification(toMcp(level), request.name(), message));
        JsonNode args = arguments(request.arguments());
        String requestId = requestId(ids().nextLong());
        Principal principal = principals.resolve(exchange);
        // The MCP request's span (RequestTracer) is current during the call: the tool call's span is its child.
        RequestSpan span =
                exchange.transportContext().get(McpTracing.CONTEXT_KEY) instanceof RequestSpan s ? s : RequestSpan.NONE;
        ToolResult result;
        // Every log line written while the call is handled (here, in the guard, on the tool's thread) carries the
        // request id the audit record has and the principal's id; the previous context comes back afterwards.
        Map<String, String> previous = MDC.getCopyOfContextMap();
        MDC.put(LogSetup.REQUEST_ID, requestId);
        MDC.put(LogSetup.PRINCIPAL, principal.id());
        MDC.put(LogSetup.TOOL, request.name());
        long t0 = System.nanoTime();
        try (RequestSpan.Activation ignored = span.activate()) {
            result = gateway.call(new ToolGateway.Call(
                    request.name(),
                    args,
                    principal,
                    requestId,
                    progress,
                    clientLog,
                    inBandApprover(exchange),
                    // notifications/cancelled for this request (InFlightRequests, on the session-based transports)
                    exchange.transportContext().get(InFlightRequests.CONTEXT_KEY)
                                    instanceof ToolContext.Cancellation cancellation
                            ? cancellation
                            : null));
            log.debug(
                    "tools/call {}: {} in {} ms",
                    request.name(),
                    result.error() ? "error" : "ok",
                    (System.nanoTime() - t0) / 1_000_000);
        } finally {
            if (previous == null) {
                MDC.clear();
            } else {
                MDC.setContextMap(previous);
            }
        }
        if (result.error()) {
            // OTel MCP conventions: a tools/call answered with isError is a failed operation ("tool_error").
            span.failed("tool_error");
        }
        var builder =
                McpSchema.CallToolResult.builder().addTextContent(result.text()).isError(result.error());
        if (result.structuredContent() != null && !result.error()) {
            // The tree itself, not a Map copy of it: the SDK's mapper writes a tree as the same JSON, and the output
            // schema check (LazyJsonSchemaValidator) validates the tree without converting it back.
            builder.structuredContent(result.structuredContent());
            // MCP "Structured Content": a tool that returns structured content SHOULD also return the serialized
            // JSON in a text block, for clients that pass only text to the model. The readable text stays first.
            builder.addTextContent(structuredText(result.structuredContent()));
        }
        return builder.build();
    }

    /**
     * The call's arguments as a tree: {@code null} stays {@code null}; no arguments ({@code {}}, most read-only calls)
     * is a new empty object, what the mapper's conversion gives, without the conversion.
     */
    JsonNode arguments(Map<String, Object> arguments) {
        if (arguments == null) {
            return null;
        }
        return arguments.isEmpty() ? json.createObjectNode() : json.valueToTree(arguments);
    }

    /**
     * The structured content's text block: the mapper's text for the tree, written by {@link CompactJson} without
     * the mapper's per-call set-up when the tree holds only plainly written nodes (the usual result), else by the
     * mapper.
     */
    String structuredText(JsonNode structured) {
        String text = CompactJson.write(structured);
        return text != null ? text : json.writeValueAsString(structured);
    }

    private SecureRandom ids() {
        SecureRandom random = ids;
        if (random == null) {
            random = new SecureRandom();
            ids = random; // two made by a race are equally good
        }
        return random;
    }

    /** {@code req_} and 16 lowercase hex digits: the 64 bits of {@code random}, as the audit record and logs carry it. */
    static String requestId(long random) {
        return "req_" + HexFormat.of().toHexDigits(random);
    }

    /**
     * A tool's progress as the client gets it: {@code notifications/progress} when the request carried a progress
     * token, and each progress message also as an {@code info} {@code notifications/message} (logger: the tool),
     * so clients that send no token still see what a long call is doing; the session's {@code logging/setLevel}
     * filters the latter.
     */
    private static ToolContext.Progress progress(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        Object token = request.progressToken();
        return (done, total, message) -> {
            if (token != null) {
                exchange.progressNotification(new McpSchema.ProgressNotification(token, done, total, message, null));
            }
            if (message != null) {
                exchange.loggingNotification(
                        new McpSchema.LoggingMessageNotification(McpSchema.LoggingLevel.INFO, request.name(), message));
            }
        };
    }

    /** Elicitation, when the client declared it: a yes/no form with an optional reason. */
    private static InBandApprover inBandApprover(McpSyncServerExchange exchange) {
        McpSchema.ClientCapabilities capabilities = exchange.getClientCapabilities();
        if (capabilities == null || capabilities.elicitation() == null) {
            return null;
        }
        return message -> {
            Map<String, Object> schema = Map.of(
                    "type", "object",
                    "properties",
                            Map.of(
                                    "approve",
                                    Map.of(
                                            "type",
                                            "boolean",
                                            "title",
                                            "Approve this change",
                                            "description",
                                            "Yes runs the change now; no leaves the approval request pending.")),
                    "required", List.of("approve"));
            try {
                McpSchema.ElicitResult answer =
                        exchange.createElicitation(new McpSchema.ElicitFormRequest(message, schema, null));
                boolean yes = answer.action() == McpSchema.ElicitResult.Action.ACCEPT
                        && answer.content() != null
                        && Boolean.TRUE.equals(answer.content().get("approve"));
                return yes ? InBandApprover.Answer.APPROVED : InBandApprover.Answer.NOT_APPROVED;
            } catch (RuntimeException e) {
                return InBandApprover.Answer.NOT_APPROVED;
            }
        };
    }

    private static McpSchema.LoggingLevel toMcp(LogLevel level) {
        return McpSchema.LoggingLevel.valueOf(level.name());
    }
}
