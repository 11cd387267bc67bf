package io.opsmcp.server.http;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
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
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.ai.mcp.server.webmvc.transport.WebMvcStreamableServerTransportProvider;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JavaType;

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
 *
 * <p>A request in an established session ({@code tools/call}, {@code tools/list}, …) is answered straight from the
 * servlet filter chain ({@link #answerDirectly}, called by {@link ProtocolRevisionRouter}) instead of through Spring
 * MVC and the SDK's asynchronous SSE response: same checks, same session, same bytes on the wire (an SSE stream:
 * the priming event, then the messages, each with its id), written synchronously. Everything else, and every request
 * the direct path would have to refuse, takes the SDK's route, which answers it as before.
 */
final class PrincipalBoundStreamableTransport
        extends DelegatingTransportProvider<WebMvcStreamableServerTransportProvider>
        implements McpStreamableServerTransportProvider {

    private static final String SESSION_HEADER = "Mcp-Session-Id";
    private static final String PROTOCOL_VERSION_HEADER = "MCP-Protocol-Version";
    private static final String LAST_EVENT_ID = "Last-Event-ID";
    /** What the SDK reads a message into first ({@link McpSchema#deserializeJsonRpcMessage}). */
    private static final TypeRef<HashMap<String, Object>> MESSAGE_MAP = new TypeRef<>() {};
    /** The members of a JSON-RPC 2.0 request (section 4). */
    private static final Set<String> REQUEST_MEMBERS = Set.of("jsonrpc", "method", "id", "params");

    private static final Logger log = LoggerFactory.getLogger(PrincipalBoundStreamableTransport.class);

    /** Session id to owner ({@code auth:id} of the principal); entries leave on DELETE, like the SDK's own. */
    private final Map<String, String> owners = new ConcurrentHashMap<>();

    /**
     * The sessions the SDK holds, for {@link #answerDirectly}: added when the SDK creates one, removed when the SDK
     * deletes, closes or evicts it (each ends in one of {@link AnsweringSession}'s {@code delete}/{@code close}).
     */
    private final Map<String, AnsweringSession> sessions = new ConcurrentHashMap<>();

    private final McpJsonMapper json;
    /**
     * {@link #MESSAGE_MAP} resolved once against the SDK's Jackson mapper ({@code null} for another kind of mapper):
     * the SDK's {@code readValue} with a {@code TypeRef} resolves the type on every read, then makes this same call.
     */
    private final JavaType messageMapType;

    private final ResourceSubscriptions subscriptions;
    private final RequestTracer tracer;
    private final Function<HttpServletRequest, McpTransportContext> contextExtractor;
    private volatile boolean closing;

    /**
     * @param json             the mapper the SDK's transport uses (the direct path writes the same JSON); a default
     *                         {@code JsonMapper}'s, whose text {@link ToolAnswerJson} writes for the usual answer
     * @param contextExtractor the transport context of a request, as the SDK's transport is configured to extract it
     */
    PrincipalBoundStreamableTransport(
            WebMvcStreamableServerTransportProvider delegate,
            McpJsonMapper json,
            ResourceSubscriptions subscriptions,
            RequestTracer tracer,
            Function<HttpServletRequest, McpTransportContext> contextExtractor) {
        super(delegate);
        this.json = json;
        this.messageMapType = messageMapType(json);
        this.subscriptions = subscriptions;
        this.tracer = tracer;
        this.contextExtractor = contextExtractor;
    }

    /**
     * Answers a {@code POST} of a JSON-RPC request in an established session without Spring MVC, when it passes every
     * check the SDK's route applies (the Host/Origin check ran in {@link TransportGuardFilter}, on every path):
     * {@code Mcp-Session-Id} of a live session owned by the caller, an accepted {@code MCP-Protocol-Version}, an
     * {@code Accept} listing {@code application/json} and {@code text/event-stream}, a UTF-8 body that is a request
     * other than {@code initialize}. Returns {@code false}, having written nothing, for anything else: the caller then
     * passes the request on to the SDK's route, which answers (or refuses) it as before. (The SDK's idle-session
     * eviction, which this server does not configure, would not see these requests as activity.)
     *
     * @param body the request body, already read (and bounded) by {@link RequestLimitsFilter}
     */
    boolean answerDirectly(HttpServletRequest request, HttpServletResponse response, byte[] body) throws IOException {
        if (closing) {
            return false;
        }
        String sessionId = request.getHeader(SESSION_HEADER);
        AnsweringSession session = sessionId == null ? null : sessions.get(sessionId);
        if (session == null
                || !owner(request.getAttribute(HttpAuthFilter.PRINCIPAL)).equals(owners.get(sessionId))
                || !ProtocolChecks.protocolVersionAccepted(
                        request.getHeader(PROTOCOL_VERSION_HEADER), protocolVersions())
                || !acceptsJsonAndEvents(request)
                || !isUtf8(request.getCharacterEncoding())) {
            return false;
        }
        McpSchema.JSONRPCMessage message;
        try {
            message = readMessage(json, messageMapType, new String(body, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return false; // the SDK's route answers the malformed message
        }
        if (!(message instanceof McpSchema.JSONRPCRequest rpc) || McpSchema.METHOD_INITIALIZE.equals(rpc.method())) {
            return false;
        }
        McpTransportContext context = contextExtractor.apply(request);
        DirectStream stream = new DirectStream(response, json);
        try {
            session.responseStream(rpc, stream)
                    .contextWrite(ctx -> ctx.put(McpTransportContext.KEY, context))
                    .block();
        } catch (RuntimeException e) {
            // As the SDK's route: the stream ends with what was sent; the handler's own errors are JSON-RPC errors.
            log.error("Failed to handle request stream: {}", e.toString());
        }
        stream.finish();
        return true;
    }

    /** {@link #MESSAGE_MAP} resolved against {@code json}'s Jackson mapper; {@code null} for another kind of mapper. */
    static JavaType messageMapType(McpJsonMapper json) {
        return json instanceof JacksonMcpJsonMapper jackson
                ? jackson.getJsonMapper().getTypeFactory().constructType(MESSAGE_MAP.getType())
                : null;
    }

    /**
     * {@link McpSchema#deserializeJsonRpcMessage} without its second pass for the usual request: the SDK reads the
     * text into a map and then converts the map to the message record through Jackson again. A map holding only a
     * request's members ({@code jsonrpc}, {@code method}, {@code id}, optionally {@code params}), with a string
     * {@code jsonrpc} and {@code method} and a string or integer {@code id}, becomes the record through its own
     * constructor (which checks what it checks on the SDK's path too); {@code params} is the value the SDK's
     * conversion would produce from it (the untyped map, list or scalar Jackson read). Anything else goes to the
     * SDK's method.
     *
     * @param messageMapType {@link #messageMapType} of {@code json}, or {@code null} to read through the SDK's
     *                       {@code TypeRef} (the same call, with the type resolved on every read)
     */
    static McpSchema.JSONRPCMessage readMessage(McpJsonMapper json, JavaType messageMapType, String text)
            throws IOException {
        HashMap<String, Object> map = messageMapType != null
                ? ((JacksonMcpJsonMapper) json).getJsonMapper().readValue(text, messageMapType)
                : json.readValue(text, MESSAGE_MAP);
        Object id = map.get("id");
        if (map.get("jsonrpc") instanceof String version
                && map.get("method") instanceof String method
                && (id instanceof String || id instanceof Integer || id instanceof Long)
                && REQUEST_MEMBERS.containsAll(map.keySet())) {
            return new McpSchema.JSONRPCRequest(version, method, id, map.get("params"));
        }
        return McpSchema.deserializeJsonRpcMessage(json, text);
    }

    /**
     * As the SDK's route decides it: both media types among the {@code Accept} headers' entries. The usual header
     * ({@code application/json, text/event-stream}: entries that are exactly one of the two, without parameters) is
     * decided without Spring's parser; any other entry (parameters, wildcards, other types, malformed) sends the
     * headers to it, so the answer is the same.
     */
    private static boolean acceptsJsonAndEvents(HttpServletRequest request) {
        return acceptsJsonAndEvents(Collections.list(request.getHeaders("Accept")));
    }

    /** {@link #acceptsJsonAndEvents(HttpServletRequest)} of the request's {@code Accept} headers, in order. */
    static boolean acceptsJsonAndEvents(List<String> headers) {
        Boolean plain = plainAccept(headers);
        if (plain != null) {
            return plain;
        }
        List<MediaType> accept;
        try {
            accept = MediaType.parseMediaTypes(headers);
        } catch (InvalidMediaTypeException e) {
            return false;
        }
        return accept.contains(MediaType.TEXT_EVENT_STREAM) && accept.contains(MediaType.APPLICATION_JSON);
    }

    /**
     * Whether both media types are listed, when every entry of every {@code Accept} header is
     * {@code application/json} or {@code text/event-stream} (case-insensitive, surrounding blanks ignored);
     * {@code null} when some entry is anything else.
     */
    private static Boolean plainAccept(List<String> headers) {
        boolean json = false;
        boolean events = false;
        for (String header : headers) {
            for (int from = 0, to; from <= header.length(); from = to + 1) {
                to = header.indexOf(',', from);
                if (to < 0) {
                    to = header.length();
                }
                String entry = header.substring(from, to).strip();
                if (entry.equalsIgnoreCase(MediaType.APPLICATION_JSON_VALUE)) {
                    json = true;
                } else if (entry.equalsIgnoreCase(MediaType.TEXT_EVENT_STREAM_VALUE)) {
                    events = true;
                } else {
                    return null;
                }
            }
        }
        return json && events;
    }

    /** JSON bodies are UTF-8 unless the {@code Content-Type} names another charset (then the SDK's route reads it). */
    private static boolean isUtf8(String charset) {
        return charset == null || "UTF-8".equalsIgnoreCase(charset);
    }

    @Override
    public Mono<Void> closeGracefully() {
        closing = true;
        return super.closeGracefully();
    }

    @Override
    public void close() {
        closing = true;
        super.close();
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
        return owner(request.servletRequest().getAttribute(HttpAuthFilter.PRINCIPAL));
    }

    private static String owner(Object principal) {
        return principal instanceof Principal p ? p.auth() + ":" + p.id() : "anonymous";
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
            AnsweringSession session =
                    new AnsweringSession(init.session(), primes(request.protocolVersion()), subscriptions, tracer);
            session.onEnd = () -> sessions.remove(session.getId(), session);
            sessions.put(session.getId(), session);
            return new McpStreamableServerSession.McpStreamableServerSessionInit(session, init.initResult());
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
        /** Forgets the session for the direct path once the SDK deletes, closes or evicts it. */
        private volatile Runnable onEnd = () -> {};

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
            onEnd.run();
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
            onEnd.run();
            return inner.closeGracefully();
        }

        @Override
        public void close() {
            onEnd.run();
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
            if (transport instanceof DirectStream direct) {
                direct.prime(nextId(), RETRY);
                return;
            }
            try {
                Field field = SSE_BUILDER.get(transport.getClass());
                if (field != null && field.get(transport) instanceof ServerResponse.SseBuilder sse) {
                    sse.id(nextId()).retry(RETRY).data("");
                }
            } catch (ReflectiveOperationException | RuntimeException | java.io.IOException e) {
                log.debug("No priming event on this stream: {}", e.toString());
            }
        }

        /** The {@code sseBuilder} field of a transport class, looked up once per class ({@code null} if absent). */
        private static final ClassValue<Field> SSE_BUILDER = new ClassValue<>() {
            @Override
            protected Field computeValue(Class<?> type) {
                try {
                    Field field = type.getDeclaredField("sseBuilder");
                    field.setAccessible(true);
                    return field;
                } catch (ReflectiveOperationException | RuntimeException e) {
                    log.debug("No priming events on {} streams: {}", type.getName(), e.toString());
                    return null;
                }
            }
        };

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
    /**
     * The response stream of a request {@link #answerDirectly answered directly}: the SSE stream the SDK's route
     * would write (MCP 2025-11-25, streamable HTTP: {@code Content-Type: text/event-stream}, {@code Cache-Control:
     * no-cache}; events as Spring's {@code SseBuilder} frames them: {@code id:}, {@code event:message}, one
     * {@code data:} line per line of the JSON), written on the request's own thread. Events are collected until the
     * answer: a notification or server-initiated request (progress, log messages, elicitation) is sent at once, with
     * whatever was collected before it (the priming event); the answer and what precedes it go out in one write when
     * the stream is closed ({@link #finish}, also called once the request's handling has ended). After that nothing
     * more is written.
     */
    private static final class DirectStream implements McpStreamableServerTransport {

        private static final byte[] ID = ascii("id:");
        private static final byte[] EVENT_MESSAGE = ascii("event:message\n");
        private static final byte[] DATA = ascii("data:");
        private static final byte[] NEWLINE = ascii("\n");

        private final HttpServletResponse response;
        private final McpJsonMapper json;
        /** The stream's UTF-8 bytes not yet written: the JSON as Jackson encodes it, no String or re-encoding. */
        private final SseBytes pending = new SseBytes(1024);

        private boolean started;
        private boolean finished;

        DirectStream(HttpServletResponse response, McpJsonMapper json) {
            this.response = response;
            this.json = json;
        }

        /** The priming event (SEP-1699): an id, the client's reconnection delay and empty data. */
        synchronized void prime(String id, Duration retry) {
            if (!finished) {
                pending.text("id:")
                        .text(id)
                        .text("\nretry:")
                        .text(Long.toString(retry.toMillis()))
                        .text("\ndata:\n\n");
            }
        }

        @Override
        public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message, String messageId) {
            return Mono.fromRunnable(() -> write(message, messageId));
        }

        @Override
        public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
            return sendMessage(message, null);
        }

        private void write(McpSchema.JSONRPCMessage message, String messageId) {
            // the usual tools/call answer without the mapper (the same bytes as the default mapper's), else the mapper
            byte[] data = ToolAnswerJson.write(message);
            if (data == null) {
                try {
                    data = json.writeValueAsBytes(message);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            synchronized (this) {
                if (finished) {
                    log.debug("Stream already ended; message not sent");
                    return;
                }
                if (messageId != null) {
                    pending.bytes(ID).text(messageId).bytes(NEWLINE);
                }
                pending.bytes(EVENT_MESSAGE);
                // one data: line per line (compact JSON has none but the one; no array of lines for it). A 0x0A
                // byte is a line feed in UTF-8: it never occurs inside a multi-byte sequence.
                for (int from = 0, nl; ; from = nl + 1) {
                    nl = indexOf(data, (byte) '\n', from);
                    pending.bytes(DATA)
                            .bytes(data, from, nl < 0 ? data.length : nl)
                            .bytes(NEWLINE);
                    if (nl < 0) {
                        break;
                    }
                }
                pending.bytes(NEWLINE);
                if (!(message instanceof McpSchema.JSONRPCResponse)) {
                    flush(); // the client is meant to see it while the request runs
                }
            }
        }

        /**
         * Ends the stream: writes what is still collected; nothing is sent after this. A stream nothing was flushed
         * on yet (the usual answer: priming event and response) is written whole with its {@code Content-Length}
         * and left to the container to send with the headers: one socket write, no chunked framing and no separate
         * terminating chunk. The bytes of the SSE stream are the same.
         */
        synchronized void finish() {
            if (!finished) {
                if (started) {
                    flush();
                } else {
                    writeWhole();
                }
                finished = true;
            }
        }

        private void writeWhole() {
            try {
                started = true;
                startResponse();
                response.setContentLength(pending.size());
                pending.writeTo(response.getOutputStream());
            } catch (IOException | RuntimeException e) {
                log.debug("Failed to write to the response stream: {}", e.toString());
            }
        }

        private void startResponse() {
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentType(MediaType.TEXT_EVENT_STREAM_VALUE);
            response.setHeader("Cache-Control", "no-cache");
        }

        private void flush() {
            try {
                if (!started) {
                    started = true;
                    startResponse();
                }
                OutputStream out = response.getOutputStream();
                pending.writeTo(out);
                out.flush();
            } catch (IOException | RuntimeException e) {
                // the client went away: as on the SDK's route, the request's handling is not stopped by it
                finished = true;
                log.debug("Failed to write to the response stream: {}", e.toString());
            }
        }

        @Override
        public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
            return json.convertValue(data, typeRef);
        }

        private static byte[] ascii(String text) {
            return text.getBytes(StandardCharsets.US_ASCII);
        }

        private static int indexOf(byte[] bytes, byte b, int from) {
            for (int i = from; i < bytes.length; i++) {
                if (bytes[i] == b) {
                    return i;
                }
            }
            return -1;
        }

        @Override
        public Mono<Void> closeGracefully() {
            return Mono.fromRunnable(this::finish);
        }

        @Override
        public void close() {
            finish();
        }
    }

    /**
     * A growable byte buffer for one SSE stream's pending bytes (unsynchronised: {@link DirectStream} holds its own
     * lock). {@link #writeTo} hands the bytes to the container and empties the buffer.
     */
    static final class SseBytes {

        private byte[] buf;
        private int size;

        SseBytes(int capacity) {
            buf = new byte[capacity];
        }

        /** Appends {@code text} encoded as UTF-8. */
        SseBytes text(String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            return bytes(bytes, 0, bytes.length);
        }

        /** Appends {@code bytes[from, to)}. */
        SseBytes bytes(byte[] bytes, int from, int to) {
            int n = to - from;
            if (size + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
            }
            System.arraycopy(bytes, from, buf, size, n);
            size += n;
            return this;
        }

        /** Appends all of {@code bytes}. */
        SseBytes bytes(byte[] bytes) {
            return bytes(bytes, 0, bytes.length);
        }

        /** The number of bytes collected. */
        int size() {
            return size;
        }

        /** Writes the collected bytes to {@code out} and empties the buffer (also when the write fails). */
        void writeTo(OutputStream out) throws IOException {
            int n = size;
            size = 0;
            out.write(buf, 0, n);
        }
    }
}
