package io.opsmcp.server.mcp;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpLoggableSession;
import io.modelcontextprotocol.spec.McpSchema;
import reactor.core.publisher.Mono;

/**
 * The exchange of a request that arrives without an MCP session (stateless streamable HTTP), so that the
 * session-mode handlers ({@link GatewayToolAdapter}, {@link ToolsetContentAdapter}, contributors) serve it
 * unchanged: the transport context (and with it the caller's principal) is the request's own; there is no
 * channel back to the client, so notifications (progress, log messages) are dropped, requests to the client
 * (elicitation, sampling, roots) fail, and no client capabilities are known (so in-band approval is never
 * offered: approvals go out of band, through the shared store).
 */
public final class SessionlessExchange {

    private SessionlessExchange() {}

    /** An exchange for one request carrying {@code context}. */
    public static McpSyncServerExchange of(McpTransportContext context) {
        return new McpSyncServerExchange(new McpAsyncServerExchange(null, NoChannel.INSTANCE, null, null, context));
    }

    /** A session that cannot reach the client. */
    private enum NoChannel implements McpLoggableSession {
        INSTANCE;

        @Override
        public <T> Mono<T> sendRequest(String method, Object requestParams, TypeRef<T> typeRef) {
            return Mono.error(McpError.builder(McpSchema.ErrorCodes.INTERNAL_ERROR)
                    .message(method + ": a stateless server cannot send requests to the client")
                    .build());
        }

        @Override
        public Mono<Void> sendNotification(String method, Object params) {
            return Mono.empty();
        }

        @Override
        public void setMinLoggingLevel(McpSchema.LoggingLevel minLoggingLevel) {}

        @Override
        public boolean isNotificationForLevelAllowed(McpSchema.LoggingLevel loggingLevel) {
            return false;
        }

        @Override
        public Mono<Void> closeGracefully() {
            return Mono.empty();
        }

        @Override
        public void close() {}
    }
}
