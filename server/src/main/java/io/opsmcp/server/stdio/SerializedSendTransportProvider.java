package io.opsmcp.server.stdio;

import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpServerSession;
import io.modelcontextprotocol.spec.McpServerTransport;
import io.modelcontextprotocol.spec.McpServerTransportProvider;
import io.opsmcp.server.mcp.CancellableSession;
import io.opsmcp.server.mcp.DelegatingTransportProvider;
import io.opsmcp.server.mcp.ProtocolChecks;
import io.opsmcp.server.mcp.RequestTracer;
import io.opsmcp.server.mcp.ResourceSubscriptions;
import java.util.List;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Wraps a single-session transport provider so that its session transport never emits two outgoing messages at
 * once. The MCP Java SDK's stdio transport (2.0.x) puts each message into a unicast Reactor sink with
 * {@code tryEmitNext}; when two threads send at the same moment (a tool result and a log notification, or two
 * concurrent tool calls) the loser gets {@code FAIL_NON_SERIALIZED} and the message is dropped with "Failed to
 * enqueue message", leaving the client waiting for a response that never comes (java-sdk issues #304 and #686).
 * Here each send is subscribed to under one lock; the SDK emits synchronously on subscription once the session
 * is running, so emissions are serialized. Sessions apply {@link ProtocolChecks}.
 */
public final class SerializedSendTransportProvider extends DelegatingTransportProvider<McpServerTransportProvider>
        implements McpServerTransportProvider {

    private final ResourceSubscriptions subscriptions;
    private final RequestTracer tracer;

    /** @param subscriptions where the session's resource subscriptions are recorded */
    public SerializedSendTransportProvider(McpServerTransportProvider delegate, ResourceSubscriptions subscriptions) {
        this(delegate, subscriptions, RequestTracer.OFF);
    }

    /** @param tracer opens each request's telemetry span */
    public SerializedSendTransportProvider(
            McpServerTransportProvider delegate, ResourceSubscriptions subscriptions, RequestTracer tracer) {
        super(delegate);
        this.subscriptions = subscriptions;
        this.tracer = tracer;
    }

    @Override
    public void setSessionFactory(McpServerSession.Factory sessionFactory) {
        // Checks in front of the SDK (ProtocolChecks, which also records resource subscriptions), then cancellation
        // (CancellableSession: notifications/cancelled stops the request and drops its response; the SDK ignores
        // it). Every layer sends through the serialized transport, so answers from the checks cannot interleave
        // with the SDK's.
        McpServerSession.Factory sessions =
                ProtocolChecks.checkedSessions(CancellableSession.factory(sessionFactory), subscriptions, tracer);
        delegate.setSessionFactory(transport -> sessions.create(new SerializedSendTransport(transport)));
    }

    /** The session transport with {@link #sendMessage} serialized; everything else passes through. */
    private static final class SerializedSendTransport implements McpServerTransport {

        private final McpServerTransport delegate;
        private final Object sendLock = new Object();

        SerializedSendTransport(McpServerTransport delegate) {
            this.delegate = delegate;
        }

        @Override
        public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
            return Mono.defer(() -> {
                Sinks.Empty<Void> sent = Sinks.empty();
                synchronized (sendLock) {
                    delegate.sendMessage(message).subscribe(ignored -> {}, sent::tryEmitError, sent::tryEmitEmpty);
                }
                return sent.asMono();
            });
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
