package io.opsmcp.server.http;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerSession;
import io.modelcontextprotocol.spec.McpStreamableServerTransport;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;
import io.opsmcp.core.tool.Principal;
import io.opsmcp.server.auth.HttpAuthFilter;
import io.opsmcp.server.mcp.DelegatingTransportProvider;
import io.opsmcp.server.mcp.InFlightRequests;
import io.opsmcp.server.mcp.ProtocolChecks;
import io.opsmcp.server.mcp.RequestTracer;
import io.opsmcp.server.mcp.ResourceSubscriptions;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.ai.mcp.server.webmvc.transport.WebMvcStreamableServerTransportProvider;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The streamable HTTP transport ({@link WebMvcStreamableServerTransportProvider}) with three corrections:
 * <ul>
 *   <li><b>Sessions belong to the principal that created them.</b> The {@code Mcp-Session-Id} returned by
 *       {@code initialize} is bound to the authenticated principal of that request; a {@code GET}, {@code POST}
 *       or {@code DELETE} naming the session by anyone else gets 404 "session not found", exactly as an unknown
 *       id does (a session id is not a credential, and its existence is not revealed), and the session lives on.</li>
 *   <li><b>Every request gets a complete answer.</b> The SDK sends {@code -32601 Method not found} for an unknown
 *       method into the request's SSE stream but never ends the stream, so a client waiting for the response
 *       waits forever; here each request's stream is closed once the request has been answered.</li>
 *   <li><b>Errors are JSON-RPC errors.</b> The SDK answers transport errors (missing or unknown session,
 *       malformed message) with a serialized exception, stack trace included; those become
 *       {@code {"jsonrpc":"2.0","id":null,"error":{code,message}}} with the same HTTP status.</li>
 *   <li><b>The wire follows MCP 2025-11-25.</b> An unsupported {@code MCP-Protocol-Version} header gets 400;
 *       requests pass {@link ProtocolChecks}; SSE event ids are unique; streams open with a priming event;
 *       notifications never get 500 (see {@link AnsweringSession}).</li>
 * </ul>
 */
final class PrincipalBoundStreamableTransport
        extends DelegatingTransportProvider<WebMvcStreamableServerTransportProvider>
        implements McpStreamableServerTransportProvider {

    private static final String SESSION_HEADER = "Mcp-Session-Id";
    private static final String PROTOCOL_VERSION_HEADER = "MCP-Protocol-Version";
    private static final String LAST_EVENT_ID = "Last-Event-ID";

    private static final Logger log = LoggerFactory.getLogger(PrincipalBoundStreamableTransport.class);

    /** Session id to owner ({@code auth:id} of the principal); entries leave on DELETE, like the SDK's own. */
    private final Map<String, String> owners = new ConcurrentHashMap<>();

    private final ResourceSubscriptions subscriptions;
    private final RequestTracer tracer;

    PrincipalBoundStreamableTransport(
            WebMvcStreamableServerTransportProvider delegate,
            ResourceSubscriptions subscriptions,
            RequestTracer tracer) {
        super(delegate);
        this.subscriptions = subscriptions;
        this.tracer = tracer;
    }

    /** The {@code /mcp} routes, guarded by the session binding. */
    RouterFunction<ServerResponse> routes() {
        return delegate.getRouterFunction().filter(this::guard);
    }

    private ServerResponse guard(ServerRequest request, HandlerFunction<ServerResponse> next) throws Exception {
        String caller = owner(request);
        String version = request.headers().firstHeader(PROTOCOL_VERSION_HEADER);
        if (!ProtocolChecks.protocolVersionAccepted(version, protocolVersions())) {
            return RpcErrorResponses.of(
                    HttpStatus.BAD_REQUEST,
                    McpSchema.ErrorCodes.INVALID_REQUEST,
                    "Unsupported MCP-Protocol-Version; supported: " + String.join(", ", protocolVersions()));
        }
        String sessionId = request.headers().firstHeader(SESSION_HEADER);
        if (HttpMethod.GET.equals(request.method()) && request.headers().firstHeader(LAST_EVENT_ID) != null) {
            // Nothing is kept for replay (the SDK's replay is empty), and the SDK's replay stream never ends nor
            // sends a byte, so the client waited for response headers forever: a reconnecting client gets a new
            // listening stream instead.
            request = ServerRequest.from(request)
                    .headers(headers -> headers.remove(LAST_EVENT_ID))
                    .build();
        }
        if (sessionId != null && !caller.equals(owners.get(sessionId))) {
            return RpcErrorResponses.of(HttpStatus.NOT_FOUND, RpcErrorResponses.SESSION_NOT_FOUND, "Session not found");
        }
        ServerResponse response = next.handle(request);
        if (sessionId == null) {
            String created = response.headers().getFirst(SESSION_HEADER);
            if (created != null) {
                owners.put(created, caller);
            }
        } else if (HttpMethod.DELETE.equals(request.method())
                && response.statusCode().is2xxSuccessful()) {
            owners.remove(sessionId);
        }
        return RpcErrorResponses.fromSdk(response);
    }

    private static String owner(ServerRequest request) {
        return request.servletRequest().getAttribute(HttpAuthFilter.PRINCIPAL) instanceof Principal p
                ? p.auth() + ":" + p.id()
                : "anonymous";
    }

    @Override
    public void setSessionFactory(McpStreamableServerSession.Factory sessionFactory) {
        delegate.setSessionFactory(request -> {
            // initialize is answered here, when the SDK creates the session, not by the session's responseStream
            var span = tracer.start(McpSchema.METHOD_INITIALIZE, null, request, null, McpTransportContext.EMPTY);
            McpStreamableServerSession.McpStreamableServerSessionInit init;
            try {
                init = sessionFactory.startSession(request);
            } finally {
                span.end();
            }
            return new McpStreamableServerSession.McpStreamableServerSessionInit(
                    new AnsweringSession(init.session(), primes(request.protocolVersion()), subscriptions, tracer),
                    init.initResult());
        });
    }

    /**
     * Whether streams of a session that asked for {@code protocolVersion} open with a priming event: from
     * 2025-11-25 on (SEP-1699); older clients may take the event's empty data for a malformed message.
     */
    private static boolean primes(String protocolVersion) {
        return protocolVersion != null && protocolVersion.compareTo("2025-11-25") >= 0;
    }

    /**
     * The SDK's session with these changes: requests pass {@link ProtocolChecks} first; MCP cancellation works
     * ({@link InFlightRequests}: {@code notifications/cancelled} stops the request of this session, and no response
     * is sent for it); a request's stream ends
     * once the request is answered, also when the answer is the SDK's own "method not found" (which leaves the
     * stream open); every SSE event gets its own id ({@link EventIds}), and streams open with a priming event;
     * notifications are handled without holding the client's POST, and a failure handling one is logged, never
     * answered with 500 (JSON-RPC: a notification has no response; the SDK's handler of
     * {@code notifications/roots/list_changed} failed with "Stream unavailable" when the client had no GET
     * stream). Everything else is delegated; the inherited state of the superclass is unused.
     */
    private static final class AnsweringSession extends McpStreamableServerSession {

        private final McpStreamableServerSession inner;
        private final InFlightRequests inFlight = new InFlightRequests();
        private final boolean priming;
        private final ResourceSubscriptions subscriptions;
        private final RequestTracer tracer;
        /** Source of this session's SSE event ids, unique over all its streams. */
        private final AtomicLong eventIds = new AtomicLong();

        AnsweringSession(
                McpStreamableServerSession inner,
                boolean priming,
                ResourceSubscriptions subscriptions,
                RequestTracer tracer) {
            super(inner.getId(), null, null, Duration.ZERO, Map.of(), Map.of());
            this.inner = inner;
            this.priming = priming;
            this.subscriptions = subscriptions;
            this.tracer = tracer;
        }

        @Override
        public Mono<Void> responseStream(McpSchema.JSONRPCRequest request, McpStreamableServerTransport transport) {
            EventIds stream = new EventIds(transport, eventIds);
            var answer = ProtocolChecks.answer(request);
            if (answer.isPresent()) {
                return stream.sendMessage(answer.get()).then(transport.closeGracefully());
            }
            if (priming) {
                stream.prime(transport);
            }
            // Cancellation (the SDK ignores notifications/cancelled): the request is registered in this session's
            // InFlightRequests, and its response is dropped if it was cancelled.
            InFlightRequests.ClientCancellation cancellation = inFlight.register(request);
            // Closing an already closed stream is a no-op, so answered requests are unaffected.
            return tracer.around(request, getId(), Mono.deferContextual(ctx -> {
                        subscriptions.observe(
                                getId(),
                                request,
                                ctx.getOrDefault(McpTransportContext.KEY, McpTransportContext.EMPTY),
                                inner::sendNotification);
                        return inner.responseStream(request, inFlight.dropCancelled(stream));
                    }))
                    .contextWrite(ctx -> InFlightRequests.contextWith(ctx, cancellation))
                    .then(transport.closeGracefully());
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
        public String getId() {
            return inner.getId();
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
        public Mono<Void> delete() {
            subscriptions.drop(getId());
            return Mono.fromRunnable(inFlight::cancelAll).then(inner.delete());
        }

        @Override
        public McpStreamableServerSessionStream listeningStream(McpStreamableServerTransport transport) {
            EventIds stream = new EventIds(transport, eventIds);
            if (priming) {
                stream.prime(transport);
            }
            return inner.listeningStream(stream);
        }

        @Override
        public Flux<McpSchema.JSONRPCMessage> replay(Object lastEventId) {
            return inner.replay(lastEventId);
        }

        @Override
        public Mono<Void> accept(McpSchema.JSONRPCNotification notification) {
            if (InFlightRequests.CANCELLED.equals(notification.method())) {
                return Mono.fromRunnable(() -> inFlight.cancel(notification.params()));
            }
            return Mono.deferContextual(ctx -> {
                inner.accept(notification)
                        .contextWrite(ctx)
                        .subscribe(
                                ignored -> {},
                                error -> log.warn(
                                        "Notification {} failed: {}", notification.method(), error.toString()));
                return Mono.empty();
            });
        }

        @Override
        public Mono<Void> accept(McpSchema.JSONRPCResponse response) {
            return inner.accept(response);
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

    /**
     * A stream's transport with SSE event ids of its own: the SDK's transport uses the session id as the id of
     * every event it is not given one for (all responses), so ids repeated and {@code Last-Event-ID} could not say
     * where a client stopped. Answers also pass {@link ProtocolChecks#outgoing}.
     */
    private record EventIds(McpStreamableServerTransport delegate, AtomicLong ids)
            implements McpStreamableServerTransport {

        /** How long a client waits before reconnecting after the stream ends early (the priming event's retry). */
        private static final Duration RETRY = Duration.ofSeconds(1);

        /**
         * Sends the priming event (an id and empty data, with a retry delay; MCP 2025-11-25, streamable HTTP,
         * SEP-1699) first on the stream. The SDK's transport offers no way to send it, so the stream's Spring
         * {@code SseBuilder} is reached through the transport's field; if a later Spring AI renames it, streams
         * simply start without the event.
         */
        void prime(McpStreamableServerTransport transport) {
            try {
                Field field = transport.getClass().getDeclaredField("sseBuilder");
                field.setAccessible(true);
                if (field.get(transport) instanceof ServerResponse.SseBuilder sse) {
                    sse.id(nextId()).retry(RETRY).data("");
                }
            } catch (ReflectiveOperationException | RuntimeException | java.io.IOException e) {
                log.debug("No priming event on this stream: {}", e.toString());
            }
        }

        private String nextId() {
            return Long.toString(ids.incrementAndGet());
        }

        @Override
        public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message, String messageId) {
            return delegate.sendMessage(ProtocolChecks.outgoing(message), nextId());
        }

        @Override
        public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
            return sendMessage(message, null);
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
    }
}
