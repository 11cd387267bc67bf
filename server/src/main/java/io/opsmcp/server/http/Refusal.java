package io.opsmcp.server.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes the answer to a request the HTTP transport refuses before any handler runs (401, 403, 413, 415, 429).
 * On the MCP endpoints the body is a JSON-RPC error ({@code -32600}, id {@code null}) so MCP clients can show
 * it; elsewhere it is {@code {"error": "...", "message": "..."}}.
 *
 * <p>A refused request's body is never read: when one is pending, the response says {@code Connection: close}
 * and the request is completed asynchronously, so Tomcat closes the connection instead of draining the body
 * (Tomcat swallows the unread body of a synchronous request before closing; a trickled body would keep a
 * worker thread busy for as long as the client likes).
 */
public final class Refusal {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Refusal() {}

    /**
     * Sends the refusal.
     *
     * @param status  HTTP status
     * @param error   short machine-readable reason, e.g. {@code payload_too_large}
     * @param message what was wrong and what the rule is, for a human
     * @param headers extra response headers, e.g. {@code WWW-Authenticate}
     */
    public static void send(
            HttpServletRequest request,
            HttpServletResponse response,
            int status,
            String error,
            String message,
            Map<String, String> headers)
            throws IOException {
        boolean bodyPending = request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
        response.setStatus(status);
        headers.forEach(response::setHeader);
        if (bodyPending) {
            response.setHeader("Connection", "close");
        }
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(JSON.writeValueAsString(body(pathOf(request), error, message)));
        if (bodyPending && request.isAsyncSupported() && !request.isAsyncStarted()) {
            // Async completion skips Tomcat's drain of the unread body; with Connection: close the socket closes.
            request.startAsync().complete();
        }
    }

    /**
     * The request's path as the container decoded and normalized it, without {@code ;parameters}: what Spring's
     * routing matches, unlike {@link HttpServletRequest#getRequestURI()} ({@code /approvals;x} is routed to
     * {@code /approvals}).
     */
    public static String pathOf(HttpServletRequest request) {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        return path.isEmpty() ? "/" : path;
    }

    private static ObjectNode body(String path, String error, String message) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (HttpTransport.MCP_ENDPOINT.equals(path) || HttpTransport.SSE_MESSAGE_ENDPOINT.equals(path)) {
            ObjectNode rpc = nodes.objectNode().put("jsonrpc", "2.0").putNull("id");
            rpc.putObject("error")
                    .put("code", -32600)
                    .put("message", message)
                    .putObject("data")
                    .put("reason", error);
            return rpc;
        }
        return nodes.objectNode().put("error", error).put("message", message);
    }
}
