package io.opsmcp.server.mcp;

import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpServerSession;
import io.modelcontextprotocol.spec.McpServerTransport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * An SDK session of a single-session transport (stdio, legacy HTTP+SSE) with MCP cancellation, which the SDK
 * (2.2.0) does not implement (it logs {@code notifications/cancelled} as unhandled, lets the call run on and sends
 * its result). Arriving requests are registered in the session's own {@link InFlightRequests};
 * {@code notifications/cancelled} cancels one; the response to a cancelled request is dropped on the send side.
 * Everything else is delegated; the inherited state of the superclass is unused.
 */
public final class CancellableSession extends McpServerSession {

    private final McpServerSession inner;
    private final InFlightRequests inFlight;

    private CancellableSession(McpServerSession inner, InFlightRequests inFlight) {
        super(inner.getId(), Duration.ZERO, null, null, Map.of(), Map.of());
        this.inner = inner;
        this.inFlight = inFlight;
    }

    /**
     * Wraps a session factory: each session it creates gets its own {@link InFlightRequests}, and its transport
     * drops the responses to cancelled requests.
     */
    public static McpServerSession.Factory factory(McpServerSession.Factory sessions) {
        return transport -> {
            InFlightRequests inFlight = new InFlightRequests();
            return new CancellableSession(sessions.create(new DroppingTransport(transport, inFlight)), inFlight);
        };
    }

    @Override
    public Mono<Void> handle(McpSchema.JSONRPCMessage message) {
        if (message instanceof McpSchema.JSONRPCNotification n && InFlightRequests.CANCELLED.equals(n.method())) {
            return Mono.fromRunnable(() -> inFlight.cancel(n.params()));
        }
        if (message instanceof McpSchema.JSONRPCRequest request) {
            InFlightRequests.ClientCancellation cancellation = inFlight.register(request);
            return inner.handle(message).contextWrite(ctx -> InFlightRequests.contextWith(ctx, cancellation));
        }
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
        return Mono.fromRunnable(inFlight::cancelAll).then(inner.closeGracefully());
    }

    @Override
    public void close() {
        inFlight.cancelAll();
        inner.close();
    }

    /** The session's transport without the responses to cancelled requests. */
    private static final class DroppingTransport implements McpServerTransport {

        private final McpServerTransport delegate;
        private final InFlightRequests inFlight;

        DroppingTransport(McpServerTransport delegate, InFlightRequests inFlight) {
            this.delegate = delegate;
            this.inFlight = inFlight;
        }

        @Override
        public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
            return Mono.defer(() -> inFlight.mayDeliver(message) ? delegate.sendMessage(message) : Mono.empty());
        }

        @Override
        public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
            return delegate.unmarshalFrom(data, typeRef);
        }

        @Override
        public Mono<Void> closeGracefully() {
            return delegate.closeGracefully();
        }

        @Override
        public void close() {
            delegate.close();
        }

        @Override
        public List<String> protocolVersions() {
            return delegate.protocolVersions();
        }
    }
}
