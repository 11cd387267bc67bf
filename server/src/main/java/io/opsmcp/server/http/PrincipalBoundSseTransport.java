package io.opsmcp.server.http;

import io.modelcontextprotocol.spec.McpServerSession;
import io.modelcontextprotocol.spec.McpServerTransportProvider;
import io.opsmcp.core.tool.Principal;
import io.opsmcp.server.auth.HttpAuthFilter;
import io.opsmcp.server.mcp.CancellableSession;
import io.opsmcp.server.mcp.DelegatingTransportProvider;
import io.opsmcp.server.mcp.ProtocolChecks;
import io.opsmcp.server.mcp.RequestTracer;
import io.opsmcp.server.mcp.ResourceSubscriptions;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.ai.mcp.server.webmvc.transport.WebMvcSseServerTransportProvider;
import org.springframework.http.HttpStatus;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The legacy HTTP+SSE transport ({@link WebMvcSseServerTransportProvider}) with its sessions bound to the
 * principal that opened the stream: {@code POST /message?sessionId=…} by anyone else gets 404 "session not found",
 * as an unknown id does. The session is created while the {@code GET /sse} response is written, on the request's
 * thread, so the principal is read from that request; the binding ends with the stream. The SDK's transport errors
 * (no session id, malformed message) become JSON-RPC error bodies ({@link RpcErrorResponses}); sessions apply
 * {@link ProtocolChecks}.
 */
final class PrincipalBoundSseTransport extends DelegatingTransportProvider<WebMvcSseServerTransportProvider>
        implements McpServerTransportProvider {

    private final Map<String, String> owners = new ConcurrentHashMap<>();

    private final ResourceSubscriptions subscriptions;
    private final RequestTracer tracer;

    PrincipalBoundSseTransport(
            WebMvcSseServerTransportProvider delegate, ResourceSubscriptions subscriptions, RequestTracer tracer) {
        super(delegate);
        this.subscriptions = subscriptions;
        this.tracer = tracer;
    }

    /** The {@code /sse} and {@code /message} routes, guarded by the session binding. */
    RouterFunction<ServerResponse> routes() {
        return delegate.getRouterFunction().filter(this::guard);
    }

    private ServerResponse guard(ServerRequest request, HandlerFunction<ServerResponse> next) throws Exception {
        var sessionId = request.param("sessionId");
        if (sessionId.isPresent() && !owner(request.servletRequest()).equals(owners.get(sessionId.get()))) {
            return RpcErrorResponses.of(HttpStatus.NOT_FOUND, RpcErrorResponses.SESSION_NOT_FOUND, "Session not found");
        }
        return RpcErrorResponses.fromSdk(next.handle(request));
    }

    private static String owner(HttpServletRequest request) {
        return request.getAttribute(HttpAuthFilter.PRINCIPAL) instanceof Principal p
                ? p.auth() + ":" + p.id()
                : "anonymous";
    }

    @Override
    public void setSessionFactory(McpServerSession.Factory sessionFactory) {
        // Checks in front of the SDK (ProtocolChecks, which also records resource subscriptions), then cancellation
        // (CancellableSession: notifications/cancelled stops the request and drops its response; the SDK ignores it).
        McpServerSession.Factory checked =
                ProtocolChecks.checkedSessions(CancellableSession.factory(sessionFactory), subscriptions, tracer);
        delegate.setSessionFactory(transport -> {
            McpServerSession session = checked.create(transport);
            if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
                HttpServletRequest request = attributes.getRequest();
                String id = session.getId();
                owners.put(id, owner(request));
                if (request.isAsyncStarted()) {
                    request.getAsyncContext().addListener(new Unbind(id));
                }
            }
            // Without a request (never the case for this transport) the session has no owner: nobody may use it.
            return session;
        });
    }

    /** Drops the binding when the SSE stream ends. */
    private final class Unbind implements AsyncListener {
        private final String id;

        Unbind(String id) {
            this.id = id;
        }

        @Override
        public void onComplete(AsyncEvent event) {
            owners.remove(id);
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            owners.remove(id);
        }

        @Override
        public void onError(AsyncEvent event) {
            owners.remove(id);
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // still the same stream
        }
    }
}
