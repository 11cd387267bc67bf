package io.opsmcp.server.mcp;

import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCRequest;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse.JSONRPCError;
import io.modelcontextprotocol.spec.McpServerSession;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The checks every transport (stdio, streamable HTTP, legacy HTTP+SSE) applies to an incoming JSON-RPC request
 * before the MCP Java SDK dispatches it, and the one correction it applies to the SDK's answers. They exist because
 * the SDK (2.2.0, legacy {@code io.modelcontextprotocol.server}) gets these cases wrong:
 * <ul>
 *   <li>{@code params} that is not an object, {@code tools/call} whose {@code arguments} is not an object and
 *       {@code prompts/get} likewise: the SDK fails to convert them and answers {@code -32603} (stdio, SSE) or
 *       nothing at all (streamable HTTP). Here: {@code -32602} naming the field.</li>
 *   <li>{@code resources/read}, {@code resources/subscribe} and {@code resources/unsubscribe} without a
 *       {@code uri}: the SDK answers {@code -32002 Resource not found} for the empty URI, or subscribes to it.
 *       Here: {@code -32602}.</li>
 *   <li>{@code logging/setLevel} with a level that is not one of the eight syslog names is accepted (and sets no
 *       level). Here: {@code -32602} listing the levels.</li>
 *   <li>A {@code cursor} on {@code tools/list}, {@code resources/list}, {@code resources/templates/list} or
 *       {@code prompts/list} is ignored. This server returns every list on one page and never issues a cursor,
 *       so every cursor is invalid: {@code -32602} (MCP "Pagination": invalid cursors SHOULD get -32602).</li>
 *   <li>{@code ping} waits until the client has sent {@code notifications/initialized}; MCP allows a ping at any
 *       time ("Lifecycle"), so it is answered here at once.</li>
 *   <li>An unknown tool is answered with the SDK's hard-coded message {@code "Unknown tool: invalid_tool_name"},
 *       copied from the spec's example, with the real name only in {@code data}: {@link #outgoing} puts the name
 *       into the message.</li>
 * </ul>
 * Error messages name the method, the field and the rule, and never echo a value, which may hold a secret.
 */
public final class ProtocolChecks {

    /** The eight levels of {@code logging/setLevel} (MCP "Logging", RFC 5424 severities), lowest first. */
    public static final List<String> LOG_LEVELS =
            List.of("debug", "info", "notice", "warning", "error", "critical", "alert", "emergency");

    private static final Set<String> PAGINATED =
            Set.of("tools/list", "resources/list", "resources/templates/list", "prompts/list");
    private static final Set<String> BY_URI = Set.of("resources/read", "resources/subscribe", "resources/unsubscribe");
    /** The SDK's fixed message for an unknown tool; the name it means is in {@code data} as "Tool not found: NAME". */
    private static final String SDK_UNKNOWN_TOOL = "Unknown tool: invalid_tool_name";

    private static final String SDK_TOOL_NOT_FOUND = "Tool not found: ";

    private ProtocolChecks() {}

    /**
     * A session factory for a single-session transport (stdio, legacy HTTP+SSE) whose sessions apply these checks
     * ({@link CheckedServerSession}); wrap the SDK's factory with it in the transport provider's
     * {@code setSessionFactory}. Their {@code resources/subscribe} and {@code resources/unsubscribe} requests are
     * recorded in {@code subscriptions}.
     */
    public static McpServerSession.Factory checkedSessions(
            McpServerSession.Factory factory, ResourceSubscriptions subscriptions) {
        return CheckedServerSession.wrap(factory, subscriptions, RequestTracer.OFF);
    }

    /** As {@link #checkedSessions(McpServerSession.Factory, ResourceSubscriptions)}, each request traced. */
    public static McpServerSession.Factory checkedSessions(
            McpServerSession.Factory factory, ResourceSubscriptions subscriptions, RequestTracer tracer) {
        return CheckedServerSession.wrap(factory, subscriptions, tracer);
    }

    /**
     * The answer this server gives to {@code request} without the SDK: a {@code -32602 Invalid params} error when the
     * request breaks a rule above, an empty result for {@code ping}; empty when the SDK should handle the request.
     */
    public static Optional<JSONRPCResponse> answer(JSONRPCRequest request) {
        String method = request.method();
        Object params = request.params();
        if ("ping".equals(method)) {
            return Optional.of(JSONRPCResponse.result(request.id(), Map.of()));
        }
        if (params != null && !(params instanceof Map)) {
            return invalid(request, method + ": params must be an object");
        }
        Map<?, ?> p = params == null ? Map.of() : (Map<?, ?>) params;
        String problem = problem(method, p);
        return problem == null ? Optional.empty() : invalid(request, problem);
    }

    private static String problem(String method, Map<?, ?> params) {
        if (PAGINATED.contains(method) && params.containsKey("cursor")) {
            return "Invalid cursor: " + method + " returns every item on one page and issues no cursor";
        }
        if (BY_URI.contains(method) && !nonBlankString(params.get("uri"))) {
            return method + ": uri is required (a non-empty string)";
        }
        return switch (method) {
            case "tools/call" -> named(method, params);
            case "prompts/get" -> named(method, params);
            case "logging/setLevel" ->
                params.get("level") instanceof String level && LOG_LEVELS.contains(level)
                        ? null
                        : "logging/setLevel: level must be one of " + String.join(", ", LOG_LEVELS);
            case "completion/complete" ->
                params.get("ref") instanceof Map<?, ?> && params.get("argument") instanceof Map<?, ?>
                        ? null
                        : "completion/complete: ref and argument are required (objects)";
            default -> null;
        };
    }

    /** {@code tools/call} and {@code prompts/get}: a name, and arguments that are an object when present. */
    private static String named(String method, Map<?, ?> params) {
        if (!nonBlankString(params.get("name"))) {
            return method + ": name is required (a non-empty string)";
        }
        Object arguments = params.get("arguments");
        if (arguments != null && !(arguments instanceof Map)) {
            return method + ": arguments must be an object";
        }
        return null;
    }

    private static boolean nonBlankString(Object value) {
        return value instanceof String s && !s.isBlank();
    }

    private static Optional<JSONRPCResponse> invalid(JSONRPCRequest request, String message) {
        return Optional.of(JSONRPCResponse.error(
                request.id(), new JSONRPCError(McpSchema.ErrorCodes.INVALID_PARAMS, message, null)));
    }

    /**
     * {@code message} as the client should get it: the SDK's unknown-tool error gets the tool's name in its message
     * ({@code "Unknown tool: NAME"}, MCP "Tools", error handling); everything else unchanged.
     */
    public static JSONRPCMessage outgoing(JSONRPCMessage message) {
        if (message instanceof JSONRPCResponse response
                && response.error() != null
                && SDK_UNKNOWN_TOOL.equals(response.error().message())
                && response.error().data() instanceof String data
                && data.startsWith(SDK_TOOL_NOT_FOUND)) {
            String name = data.substring(SDK_TOOL_NOT_FOUND.length());
            return JSONRPCResponse.error(
                    response.id(), new JSONRPCError(response.error().code(), "Unknown tool: " + name, null));
        }
        return message;
    }

    /**
     * Whether an {@code MCP-Protocol-Version} header value is acceptable: absent (the transport then assumes its
     * default), or one of {@code supported}. Streamable HTTP: a server that receives an invalid or unsupported
     * version MUST answer {@code 400 Bad Request}.
     */
    public static boolean protocolVersionAccepted(String header, List<String> supported) {
        return header == null || supported.contains(header.trim());
    }
}
