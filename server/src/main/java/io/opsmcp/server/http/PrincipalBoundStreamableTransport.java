package io.opsmcp.server.http;

import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerSession;
import io.modelcontextprotocol.spec.McpStreamableServerTransport;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;
import io.opsmcp.core.tool.Principal;
import io.opsmcp.server.auth.HttpAuthFilter;
import io.opsmcp.server.mcp.DelegatingTransportProvider;
import io.opsmcp.server.mcp.InFlightRequests;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.ai.mcp.server.webmvc.transport.WebMvcStreamableServerTransportProvider;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.EntityResponse;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

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
 * </ul>
 */
final class PrincipalBoundStreamableTransport
        extends DelegatingTransportProvider<WebMvcStreamableServerTransportProvider>
        implements McpStreamableServerTransportProvider {

    private static final String SESSION_HEADER = "Mcp-Session-Id";
    /** The code the MCP TypeScript SDK uses for "session not found". */
    private static final int SESSION_NOT_FOUND = -32001;

    private final JsonMapper json;
    /** Session id to owner ({@code auth:id} of the principal); entries leave on DELETE, like the SDK's own. */
    private final Map<String, String> owners = new ConcurrentHashMap<>();

    PrincipalBoundStreamableTransport(WebMvcStreamableServerTransportProvider delegate, JsonMapper json) {
        super(delegate);
        this.json = json;
    }

    /** The {@code /mcp} routes, guarded by the session binding. */
    RouterFunction<ServerResponse> routes() {
        return delegate.getRouterFunction().filter(this::guard);
    }

    private ServerResponse guard(ServerRequest request, HandlerFunction<ServerResponse> next) throws Exception {
        String caller = owner(request);
        String sessionId = request.headers().firstHeader(SESSION_HEADER);
        if (sessionId != null && !caller.equals(owners.get(sessionId))) {
            return rpcError(HttpStatus.NOT_FOUND, SESSION_NOT_FOUND, "Session not found");
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
        return asRpcError(response);
    }

    private static String owner(ServerRequest request) {
        return request.servletRequest().getAttribute(HttpAuthFilter.PRINCIPAL) instanceof Principal p
                ? p.auth() + ":" + p.id()
                : "anonymous";
    }

    private ServerResponse asRpcError(ServerResponse response) {
        if (response instanceof EntityResponse<?> entity && entity.entity() instanceof McpError error) {
            // These are transport-level refusals (no session, malformed message), not answers to a method: the
            // SDK's codes for them are arbitrary, so the code follows the HTTP status.
            int code = response.statusCode().is4xxClientError()
                    ? McpSchema.ErrorCodes.INVALID_REQUEST
                    : McpSchema.ErrorCodes.INTERNAL_ERROR;
            return rpcError(response.statusCode(), code, error.getMessage());
        }
        return response;
    }

    private ServerResponse rpcError(HttpStatusCode status, int code, String message) {
        ObjectNode body =
                JsonNodeFactory.instance.objectNode().put("jsonrpc", "2.0").putNull("id");
        body.putObject("error").put("code", code).put("message", message == null ? "error" : message);
        return ServerResponse.status(status)
                .contentType(MediaType.APPLICATION_JSON)
                .body(json.writeValueAsString(body));
    }

    @Override
    public void setSessionFactory(McpStreamableServerSession.Factory sessionFactory) {
        delegate.setSessionFactory(request -> {
            var init = sessionFactory.startSession(request);
            return new McpStreamableServerSession.McpStreamableServerSessionInit(
                    new AnsweringSession(init.session()), init.initResult());
        });
    }

    /**
     * The SDK's session with two changes: a request's stream ends once the request is answered, also when the
     * answer is the SDK's own "method not found" (which leaves the stream open); and MCP cancellation works
     * ({@link InFlightRequests}: {@code notifications/cancelled} stops the request of this session, and no response
     * is sent for it). Everything else is delegated; the inherited state of the superclass is unused.
     */
    private static final class AnsweringSession extends McpStreamableServerSession {

        private final McpStreamableServerSession inner;
        private final InFlightRequests inFlight = new InFlightRequests();

        AnsweringSession(McpStreamableServerSession inner) {
            super(inner.getId(), null, null, Duration.ZERO, Map.of(), Map.of());
            this.inner = inner;
        }

        @Override
        public Mono<Void> responseStream(McpSchema.JSONRPCRequest request, McpStreamableServerTransport transport) {
            // Cancellation (the SDK ignores notifications/cancelled): the request is registered in this session's
            // InFlightRequests, and its response is dropped if it was cancelled.
            InFlightRequests.ClientCancellation cancellation = inFlight.register(request);
            // Closing an already closed stream is a no-op, so answered requests are unaffected.
            return inner.responseStream(request, inFlight.dropCancelled(transport))
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
            return Mono.fromRunnable(inFlight::cancelAll).then(inner.delete());
        }

        @Override
        public McpStreamableServerSessionStream listeningStream(McpStreamableServerTransport transport) {
            return inner.listeningStream(transport);
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
            return inner.accept(notification);
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
}
