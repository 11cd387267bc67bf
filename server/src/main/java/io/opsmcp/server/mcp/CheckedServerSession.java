package io.opsmcp.server.mcp;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpServerSession;
import io.modelcontextprotocol.spec.McpServerTransport;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The SDK's session of a single-session transport (stdio, legacy HTTP+SSE) with {@link ProtocolChecks} in front:
 * a request the checks answer never reaches the SDK; answers the SDK sends pass {@link ProtocolChecks#outgoing}.
 * Notifications are handed to the SDK without waiting for their handling: a notification has no response, and
 * the SDK's handler of {@code notifications/roots/list_changed} asks the client for its roots and waits for the
 * answer, which on HTTP+SSE held the client's {@code POST} (and on error answered it with 500). The inherited
 * state of the superclass is unused.
 */
final class CheckedServerSession extends DelegatingServerSession {

    private static final Logger log = LoggerFactory.getLogger(CheckedServerSession.class);

    private final McpServerTransport transport;
    private final ResourceSubscriptions subscriptions;
    private final RequestTracer tracer;

    private CheckedServerSession(
            McpServerSession inner,
            McpServerTransport transport,
            ResourceSubscriptions subscriptions,
            RequestTracer tracer) {
        super(inner, transport);
        this.transport = transport;
        this.subscriptions = subscriptions;
        this.tracer = tracer;
    }

    /**
     * {@code factory} with every session it creates checked, its subscriptions recorded in {@code subscriptions}, its
     * requests traced by {@code tracer}.
     */
    static Factory wrap(Factory factory, ResourceSubscriptions subscriptions, RequestTracer tracer) {
        return transport ->
                new CheckedServerSession(factory.create(new Corrected(transport)), transport, subscriptions, tracer);
    }

    @Override
    public Mono<Void> handle(McpSchema.JSONRPCMessage message) {
        if (message instanceof McpSchema.JSONRPCRequest request) {
            var answer = ProtocolChecks.answer(request);
            if (answer.isPresent()) {
                return transport.sendMessage(answer.get());
            }
            return tracer.around(request, getId(), Mono.deferContextual(ctx -> {
                subscriptions.observe(
                        getId(),
                        request,
                        ctx.getOrDefault(McpTransportContext.KEY, McpTransportContext.EMPTY),
                        inner::sendNotification);
                return inner.handle(request);
            }));
        }
        if (message instanceof McpSchema.JSONRPCNotification notification) {
            // Subscribed here, not returned: the synchronous part (the SDK marks the session initialized on
            // notifications/initialized) runs before this returns, so ordering with later requests is kept.
            return Mono.deferContextual(ctx -> {
                inner.handle(notification)
                        .contextWrite(ctx)
                        .subscribe(
                                ignored -> {},
                                error -> log.warn(
                                        "Notification {} failed: {}", notification.method(), error.toString()));
                return Mono.empty();
            });
        }
        return inner.handle(message);
    }

    @Override
    public Mono<Void> closeGracefully() {
        subscriptions.drop(getId());
        return inner.closeGracefully();
    }

    @Override
    public void close() {
        subscriptions.drop(getId());
        inner.close();
    }

    /** The session transport as the SDK sees it: its answers pass {@link ProtocolChecks#outgoing}. */
    private record Corrected(McpServerTransport delegate) implements McpServerTransport {

        @Override
        public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
            return delegate.sendMessage(ProtocolChecks.outgoing(message));
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
