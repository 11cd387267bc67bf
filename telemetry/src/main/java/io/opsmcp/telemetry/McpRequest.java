package io.opsmcp.telemetry;

import java.util.Map;

/**
 * One incoming MCP request as the transports see it, in plain values (this module knows no MCP SDK).
 *
 * @param method          JSON-RPC method ({@code tools/call}, {@code initialize}, …)
 * @param requestId       JSON-RPC id as text, or {@code null}
 * @param sessionId       MCP session id, or {@code null} (stdio, stateless); recorded only as a digest
 * @param transport       {@code pipe} (stdio) or {@code tcp} (HTTP): OTel {@code network.transport}
 * @param toolName        {@code params.name} of a {@code tools/call}, else {@code null}
 * @param protocolVersion {@code MCP-Protocol-Version} or the negotiated revision, or {@code null}
 * @param carriers        W3C Trace Context fields ({@code traceparent}, {@code tracestate}) in order of precedence:
 *                        first {@code params._meta}, then the HTTP request's headers; the first carrier with a valid
 *                        {@code traceparent} is the parent
 */
public record McpRequest(
        String method,
        String requestId,
        String sessionId,
        String transport,
        String toolName,
        String protocolVersion,
        java.util.List<Map<String, String>> carriers) {

    public McpRequest {
        carriers = carriers == null ? java.util.List.of() : java.util.List.copyOf(carriers);
    }
}
