package io.opsmcp.server.http;

import io.modelcontextprotocol.server.transport.HeaderAccessor;
import io.modelcontextprotocol.server.transport.ServerHttpHeaderValidator;
import io.modelcontextprotocol.server.transport.ServerTransportSecurityException;
import io.modelcontextprotocol.server.transport.ServerTransportSecurityValidator;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The first check of every HTTP request, before authentication and before any body is read:
 * <ul>
 *   <li>{@code Host} and {@code Origin} must pass the same validator as {@code /mcp} (loopback names plus
 *       {@code http.allowed_hosts} / {@code http.allowed_origins}), on every endpoint: a DNS-rebound page
 *       (foreign {@code Host}) or a cross-site page (foreign {@code Origin}) gets 403 from {@code /approvals}
 *       and {@code /sse} as from {@code /mcp}. Only {@code GET /healthz} is exempt, for load balancers that
 *       probe by IP; it reveals nothing but {@code {"status":"ok"}}.</li>
 *   <li>A {@code POST} must declare {@code Content-Type: application/json} (parameters such as
 *       {@code charset} allowed), else 415. Browsers send {@code text/plain}, form or multipart bodies
 *       cross-site without a CORS preflight; a JSON content type they only send after one, which this server
 *       never grants. The approval page under {@code /ui/} is the exception: it posts HTML forms and checks a
 *       per-session CSRF token instead ({@link io.opsmcp.server.ui.ApprovalPages}); its Host/Origin are checked
 *       here like every other path's.</li>
 * </ul>
 */
final class TransportGuardFilter implements Filter {

    static final String HEALTH = "/healthz";

    private final ServerTransportSecurityValidator validator;

    TransportGuardFilter(ServerTransportSecurityValidator validator) {
        this.validator = validator;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        if (HEALTH.equals(Refusal.pathOf(request)) && "GET".equals(request.getMethod())) {
            chain.doFilter(req, res);
            return;
        }
        try {
            if (validator instanceof ServerHttpHeaderValidator byName) {
                // The SDK's validator asks for Host and Origin by name: answered from the request's own headers, no
                // map to copy them into nor a case-insensitive search through it.
                byName.validate(new RequestHeaders(request));
            } else {
                validator.validateHeaders(headers(request));
            }
        } catch (ServerTransportSecurityException e) {
            Refusal.send(
                    request,
                    response,
                    e.getStatusCode(),
                    "forbidden",
                    "Host or Origin header not allowed: add it to http.allowed_hosts / http.allowed_origins if legitimate",
                    Map.of());
            return;
        }
        // SNS posts its JSON as text/plain: webhook receivers parse their own bodies and refuse browsers (Origin).
        // The approval page posts HTML forms; it checks a CSRF token per session instead (ApprovalPages).
        if ("POST".equals(request.getMethod())
                && !isJson(request.getContentType())
                && !Refusal.pathOf(request).startsWith(io.opsmcp.alerts.hooks.Webhooks.PREFIX)
                && !Refusal.pathOf(request).startsWith(io.opsmcp.server.ui.ApprovalPages.PREFIX)) {
            Refusal.send(
                    request,
                    response,
                    HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE,
                    "unsupported_media_type",
                    "POST bodies must be sent with Content-Type: application/json",
                    Map.of());
            return;
        }
        chain.doFilter(req, res);
    }

    /**
     * The headers the validator reads: {@code Host} and {@code Origin} (the SDK's {@code
     * DefaultServerTransportSecurityValidator} looks at nothing else), all their values, absent ones left out as the
     * full header map would leave them out. Copying every header of every request cost more than the check.
     */
    private static Map<String, List<String>> headers(HttpServletRequest request) {
        Map<String, List<String>> headers = new LinkedHashMap<>(4);
        for (String name : CHECKED_HEADERS) {
            Enumeration<String> values = request.getHeaders(name);
            if (values != null && values.hasMoreElements()) {
                headers.put(name, Collections.list(values));
            }
        }
        return headers;
    }

    private static final List<String> CHECKED_HEADERS = List.of("Host", "Origin");

    /**
     * A request's headers for a {@link ServerHttpHeaderValidator}: all values of a header, looked up by name without
     * regard to case (the servlet container's look-up), empty when absent; the names are the checked ones present.
     */
    private record RequestHeaders(HttpServletRequest request) implements HeaderAccessor {
        @Override
        public List<String> getHeader(String name) {
            Enumeration<String> values = request.getHeaders(name);
            return values == null ? List.of() : Collections.list(values);
        }

        @Override
        public List<String> getHeaderNames() {
            return List.copyOf(headers(request).keySet());
        }
    }

    /** {@code application/json}, optionally with parameters; nothing else (not {@code text/json}, not {@code +json}). */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
                .trim()
                .toLowerCase(Locale.ROOT);
        return "application/json".equals(type);
    }
}
