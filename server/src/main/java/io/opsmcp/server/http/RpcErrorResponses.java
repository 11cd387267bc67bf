package io.opsmcp.server.http;

import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.EntityResponse;
import org.springframework.web.servlet.function.ServerResponse;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON-RPC error bodies for the HTTP transports' transport-level refusals:
 * {@code {"jsonrpc":"2.0","id":null,"error":{"code":…,"message":…}}}. The Spring AI transports answer these (no
 * session id, unknown session, malformed message) with a serialized {@link McpError}, stack trace included.
 */
final class RpcErrorResponses {

    /** The code the MCP TypeScript SDK uses for "session not found". */
    static final int SESSION_NOT_FOUND = -32001;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private RpcErrorResponses() {}

    /** A JSON-RPC error response with {@code status}. */
    static ServerResponse of(HttpStatusCode status, int code, String message) {
        ObjectNode body =
                JsonNodeFactory.instance.objectNode().put("jsonrpc", "2.0").putNull("id");
        body.putObject("error").put("code", code).put("message", message == null ? "error" : message);
        return ServerResponse.status(status)
                .contentType(MediaType.APPLICATION_JSON)
                .body(JSON.writeValueAsString(body));
    }

    /**
     * {@code response} with an SDK error body (a {@link McpError} or a bare text) replaced by a JSON-RPC error of the same HTTP status; any
     * other response unchanged. These are transport-level refusals, not answers to a method: the SDK's codes for
     * them are arbitrary ({@code -32601} for a missing session), so the code follows the HTTP status.
     */
    static ServerResponse fromSdk(ServerResponse response) {
        if (response.statusCode().isError() && response instanceof EntityResponse<?> entity) {
            String message = entity.entity() instanceof McpError error
                    ? error.getMessage()
                    : entity.entity() instanceof String text ? text : null;
            if (message != null) {
                int code = response.statusCode().is4xxClientError()
                        ? McpSchema.ErrorCodes.INVALID_REQUEST
                        : McpSchema.ErrorCodes.INTERNAL_ERROR;
                return of(response.statusCode(), code, message);
            }
        }
        return response;
    }
}
