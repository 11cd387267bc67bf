package io.opsmcp.server.mcp;

import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpServerSession;
import io.modelcontextprotocol.spec.McpServerTransport;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * An SDK session of a single-session transport (stdio, legacy HTTP+SSE) with MCP cancellation, which the SDK
 * (2.2.0) does not implement (it logs {@code notifications/cancelled} as unhandled, lets the call run on and sends
 * its result). Arriving requests are registered in the session's own {@link InFlightRequests};
 * {@code notifications/cancelled} cancels one; the response to a cancelled request is dropped on the send side.
 * Everything else is delegated ({@link DelegatingServerSession}).
 */
public final class CancellableSession extends DelegatingServerSession {

    private final InFlightRequests inFlight;

    private CancellableSession(McpServerSession inner, InFlightRequests inFlight) {
        super(inner, null);
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
