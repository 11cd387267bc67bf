package io.opsmcp.server.mcp;

import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpServerSession;
import io.modelcontextprotocol.spec.McpServerTransport;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import reactor.core.publisher.Mono;

/**
 * Base of our wrappers around the SDK's session of a single-session transport (stdio, legacy HTTP+SSE): every
 * method passes through to the wrapped session; a wrapper overrides what it corrects ({@link CheckedServerSession},
 * {@link CancellableSession}). The SDK's session is a class, not an interface, so the inherited state of the
 * superclass is unused.
 */
abstract class DelegatingServerSession extends McpServerSession {

    /** The wrapped session. */
    protected final McpServerSession inner;

    /** @param transport the transport the superclass is given (unused by the pass-through methods; may be null) */
    protected DelegatingServerSession(McpServerSession inner, McpServerTransport transport) {
        super(Objects.requireNonNull(inner, "inner").getId(), Duration.ZERO, transport, null, Map.of(), Map.of());
        this.inner = inner;
    }

    @Override
    public Mono<Void> handle(McpSchema.JSONRPCMessage message) {
        return inner.handle(message);
    }

    @Override
    public String getId() {
        return inner.getId();
    }

    @Override
    public void init(McpSchema.ClientCapabilities clientCapabilities, McpSchema.Implementation clientInfo) {
        inner.init(clientCapabilities, clientInfo);
    }

    @Override
    public void setMinLoggingLevel(McpSchema.LoggingLevel level) {
        inner.setMinLoggingLevel(level);
    }

    @Override
    public boolean isNotificationForLevelAllowed(McpSchema.LoggingLevel level) {
        return inner.isNotificationForLevelAllowed(level);
    }

    @Override
    public <T> Mono<T> sendRequest(String method, Object params, TypeRef<T> type) {
        return inner.sendRequest(method, params, type);
    }

    @Override
    public Mono<Void> sendNotification(String method, Object params) {
        return inner.sendNotification(method, params);
    }

    @Override
    public Mono<Void> closeGracefully() {
        return inner.closeGracefully();
    }

    @Override
    public void close() {
        inner.close();
    }
}
