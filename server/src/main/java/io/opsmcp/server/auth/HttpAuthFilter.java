package io.opsmcp.server.auth;

import java.io.IOException;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.opsmcp.core.tool.Principal;

/**
 * Identifies the caller of every HTTP request except {@code /healthz}. With API keys configured, a request
 * without a valid {@code Authorization: Bearer KEY} gets 401 and nothing runs; without keys (loopback only),
 * the caller is the configured local identity. The principal is left in request attribute {@link #PRINCIPAL}.
 */
public final class HttpAuthFilter implements Filter {

    /** Request attribute (and MCP transport-context key) holding the {@link Principal}. */
    public static final String PRINCIPAL = "io.opsmcp.principal";

    private final ApiKeys apiKeys;
    private final Principal local;

    public HttpAuthFilter(ApiKeys apiKeys, Principal local) {
        this.apiKeys = apiKeys;
        this.local = local;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        if ("/healthz".equals(request.getRequestURI())) {
            chain.doFilter(req, res);
            return;
        }
        if (apiKeys.isEmpty()) {
            request.setAttribute(PRINCIPAL, local);
            chain.doFilter(req, res);
            return;
        }
        var principal = apiKeys.authenticate(request.getHeader("Authorization"));
        if (principal.isEmpty()) {
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            response.setHeader("WWW-Authenticate", "Bearer realm=\"ops-mcp\"");
            response.setContentType("application/json");
            response.getWriter().write("{\"error\":\"unauthorized\",\"message\":\"missing or invalid API key:"
                    + " send Authorization: Bearer <key>\"}");
            return;
        }
        request.setAttribute(PRINCIPAL, principal.get());
        chain.doFilter(req, res);
    }
}
