package io.opsmcp.server.mcp;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import java.util.List;
import java.util.Objects;
import reactor.core.publisher.Mono;

/**
 * A stateless server transport with {@link ProtocolChecks} in front of the SDK's handler, so a session-less server
 * answers malformed requests exactly as the session transports do ({@code -32602} naming the field, the unknown
 * tool's name in the error, {@code ping} answered). Without it, stateless mode would fall back to the SDK's own
 * answers, which the checks exist to correct.
 */
public final class CheckedStatelessTransport implements McpStatelessServerTransport {

    private final McpStatelessServerTransport delegate;
    private final RequestTracer tracer;

    /** @param delegate the transport that receives the HTTP requests (Spring AI's stateless WebMvc transport) */
    public CheckedStatelessTransport(McpStatelessServerTransport delegate) {
        this(delegate, RequestTracer.OFF);
    }

    /** @param tracer opens each request's telemetry span */
    public CheckedStatelessTransport(McpStatelessServerTransport delegate, RequestTracer tracer) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.tracer = Objects.requireNonNull(tracer, "tracer");
    }

    @Override
    public void setMcpHandler(McpStatelessServerHandler handler) {
        delegate.setMcpHandler(new McpStatelessServerHandler() {
            @Override
            public Mono<McpSchema.JSONRPCResponse> handleRequest(
                    McpTransportContext context, McpSchema.JSONRPCRequest request) {
                var answer = ProtocolChecks.answer(request);
                if (answer.isPresent()) {
                    return Mono.just(answer.get());
                }
                return Mono.defer(() -> {
                    var span = tracer.start(request, null, context);
                    return handler.handleRequest(RequestTracer.with(context, span), request)
                            .map(response -> {
                                if (response.error() != null) {
                                    span.failed(
                                            Integer.toString(response.error().code()));
                                }
                                return (McpSchema.JSONRPCResponse) ProtocolChecks.outgoing(response);
                            })
                            .doOnError(e -> span.failed(e.getClass().getSimpleName()))
                            .doFinally(signal -> span.end());
                });
            }

            @Override
            public Mono<Void> handleNotification(McpTransportContext context, McpSchema.JSONRPCNotification n) {
                return handler.handleNotification(context, n);
            }
        });
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
