package io.opsmcp.server.auth;

import io.opsmcp.core.tool.Principal;
import io.opsmcp.server.http.Refusal;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * Identifies the caller of every HTTP request except {@code GET /healthz}, from the request headers alone: it
 * runs before anything reads the body, so an unauthenticated client cannot hold a worker thread by trickling
 * one. With API keys configured, a request without a valid {@code Authorization: Bearer KEY} gets 401 and
 * nothing runs; without keys (loopback only), the caller of the MCP endpoints is the configured local identity.
 *
 * <p>The approvals API ({@code /approvals…}) never has ambient authority: a vote or a read of pending approvals
 * needs an API key, also on loopback. Without {@code auth.api_keys} it answers 403 and approvers use the CLI.
 * (A loopback server cannot tell the operator's terminal from a browser tab or another local user, so the local
 * identity is not an approver's identity over HTTP.) The principal is left in request attribute {@link #PRINCIPAL}.
 */
public final class HttpAuthFilter implements Filter {

    /** Request attribute (and MCP transport-context key) holding the {@link Principal}. */
    public static final String PRINCIPAL = "io.opsmcp.principal";

    private final ApiKeys apiKeys;
    private final Principal local;
    private final Set<String> publicGets;

    public HttpAuthFilter(ApiKeys apiKeys, Principal local) {
        this(apiKeys, local, Set.of());
    }

    /**
     * @param publicGets paths whose {@code GET} needs no authentication besides {@code /healthz} (for example
     *                   {@code /metrics} with {@code telemetry.metrics.public: true})
     */
    public HttpAuthFilter(ApiKeys apiKeys, Principal local, Set<String> publicGets) {
        this.apiKeys = apiKeys;
        this.local = local;
        this.publicGets = Set.copyOf(publicGets);
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        String path = Refusal.pathOf(request);
        if (("/healthz".equals(path) || publicGets.contains(path)) && "GET".equals(request.getMethod())) {
            chain.doFilter(req, res);
            return;
        }
        boolean approvals = path.equals("/approvals") || path.startsWith("/approvals/");
        if (apiKeys.isEmpty()) {
            if (approvals) {
                Refusal.send(
                        request,
                        response,
                        HttpServletResponse.SC_FORBIDDEN,
                        "forbidden",
                        "the approvals API needs an API key (configure auth.api_keys); without one, approve with"
                                + " the CLI: ops-mcp approvals approve ID",
                        Map.of());
                return;
            }
            request.setAttribute(PRINCIPAL, local);
            chain.doFilter(req, res);
            return;
        }
        var principal = apiKeys.authenticate(request.getHeader("Authorization"));
        if (principal.isEmpty()) {
            Refusal.send(
                    request,
                    response,
                    HttpServletResponse.SC_UNAUTHORIZED,
                    "unauthorized",
                    "missing or invalid API key: send Authorization: Bearer <key>",
                    Map.of("WWW-Authenticate", "Bearer realm=\"ops-mcp\""));
            return;
        }
        request.setAttribute(PRINCIPAL, principal.get());
        chain.doFilter(req, res);
    }
}
