package io.opsmcp.server.auth;

import io.opsmcp.core.tool.Principal;
import io.opsmcp.oauth.BearerChallenge;
import io.opsmcp.oauth.BearerError;
import io.opsmcp.oauth.BearerTokenValidator;
import io.opsmcp.oauth.OAuthSettings;
import io.opsmcp.oauth.ProtectedResourceMetadata;
import io.opsmcp.oauth.TokenResult;
import io.opsmcp.server.http.HttpTransport;
import io.opsmcp.server.http.Refusal;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Identifies the caller of every HTTP request except {@code GET /healthz}, from the request headers alone: it
 * runs before anything reads the body, so an unauthenticated client cannot hold a worker thread by trickling
 * one. With API keys or OAuth configured, a request without a valid {@code Authorization: Bearer …} gets 401 and
 * nothing runs; without either (loopback only), the caller of the MCP endpoints is the configured local identity.
 *
 * <p>With {@code oauth} configured ({@link BearerTokenValidator}), a bearer value in JWS compact form is an OAuth
 * access token and everything else an API key (machines keep their keys). Refusals follow RFC 6750 §3 and the MCP
 * authorization specification: 401 with {@code WWW-Authenticate: Bearer resource_metadata="…"} (plus
 * {@code error="invalid_token"} and a fixed {@code error_description} when a credential was sent), 403
 * {@code insufficient_scope} with the {@code scope} needed, 503 when the authorization server's keys cannot be
 * fetched. The protected resource metadata ({@link ProtectedResourceMetadata}) is served without authentication.
 * A token in the URL ({@code ?access_token=}, OAuth 2.1 §5.1) is refused with 400 before anything logs the URL.
 * Without {@code oauth}, behaviour is as it was: API keys only, {@code Bearer realm="ops-mcp"}.
 *
 * <p>The approvals API ({@code /approvals…}) never has ambient authority: a vote or a read of pending approvals
 * needs an API key or an access token, also on loopback. Without {@code auth.api_keys} and {@code oauth} it
 * answers 403 and approvers use the CLI. (A loopback server cannot tell the operator's terminal from a browser tab
 * or another local user, so the local identity is not an approver's identity over HTTP.) The principal is left in
 * request attribute {@link #PRINCIPAL}.
 */
public final class HttpAuthFilter implements Filter {

    /** Request attribute (and MCP transport-context key) holding the {@link Principal}. */
    public static final String PRINCIPAL = "io.opsmcp.principal";

    private final ApiKeys apiKeys;
    private final Optional<BearerTokenValidator> oauth;
    private final Principal local;
    private final Set<String> publicGets;
    private final Set<String> metadataPaths;

    /**
     * @param apiKeys    configured API keys, possibly none
     * @param oauth      the access-token validator when {@code oauth} is configured
     * @param local      the caller when neither keys nor OAuth are configured
     * @param publicGets paths whose {@code GET} needs no authentication besides {@code /healthz} (for example
     *                   {@code /metrics} with {@code telemetry.metrics.public: true})
     */
    public HttpAuthFilter(
            ApiKeys apiKeys, Optional<BearerTokenValidator> oauth, Principal local, Set<String> publicGets) {
        this.apiKeys = apiKeys;
        this.oauth = oauth;
        this.local = local;
        this.publicGets = Set.copyOf(publicGets);
        this.metadataPaths = oauth.map(
                        v -> new ProtectedResourceMetadata(v.settings()).paths(HttpTransport.MCP_ENDPOINT))
                .orElse(Set.of());
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        String path = Refusal.pathOf(request);
        if (path.startsWith(io.opsmcp.server.ui.ApprovalPages.PREFIX) || path.equals("/ui")) {
            // the approval page signs its users in itself (session cookie + CSRF token, ApprovalPages): a browser
            // sends no Authorization header. Its votes go through the same ApprovalService rules.
            chain.doFilter(req, res);
            return;
        }
        if (("/healthz".equals(path) || publicGets.contains(path)) && "GET".equals(request.getMethod())) {
            chain.doFilter(req, res);
            return;
        }
        if (path.startsWith(io.opsmcp.alerts.hooks.Webhooks.PREFIX)) {
            // webhook senders prove themselves to their receiver (token, Basic, SNS signature), never with an API
            // key or access token; no principal is set, so nothing but the receiver can serve the request
            chain.doFilter(req, res);
            return;
        }
        if (oauth.isPresent()) {
            if ("GET".equals(request.getMethod()) && metadataPaths.contains(path)) {
                chain.doFilter(req, res); // RFC 9728: clients read it before they have a token
                return;
            }
            bearerOrKey(request, response, chain, oauth.get());
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

    /** With {@code oauth}: an access token (JWS compact form) or an API key; no request goes through without one. */
    private void bearerOrKey(
            HttpServletRequest request, HttpServletResponse response, FilterChain chain, BearerTokenValidator validator)
            throws IOException, ServletException {
        OAuthSettings settings = validator.settings();
        if (tokenInQuery(request.getQueryString())) {
            refuse(
                    request,
                    response,
                    settings,
                    new TokenResult.Rejected(
                            BearerError.INVALID_REQUEST,
                            "access tokens go in the Authorization header, never in the URL (OAuth 2.1 section 5.1)"));
            return;
        }
        Optional<String> bearer = ApiKeys.bearer(request.getHeader("Authorization"));
        if (bearer.isEmpty()) {
            Refusal.send(
                    request,
                    response,
                    HttpServletResponse.SC_UNAUTHORIZED,
                    "unauthorized",
                    "missing credentials: send Authorization: Bearer <access token> from the authorization server"
                            + " named in the resource metadata (WWW-Authenticate resource_metadata), or an API key",
                    Map.of(
                            "WWW-Authenticate",
                            BearerChallenge.missing(settings.resourceMetadataUrl(), settings.requiredScopes())));
            return;
        }
        TokenResult result;
        if (BearerTokenValidator.looksLikeJwt(bearer.get()) || bearer.get().length() > settings.maxTokenBytes()) {
            result = validator.validate(bearer.get());
        } else {
            result = apiKeys.authenticateKey(bearer.get())
                    .<TokenResult>map(p -> new TokenResult.Accepted(p, Set.of()))
                    .orElseGet(() -> new TokenResult.Rejected(
                            BearerError.INVALID_TOKEN, "unknown API key or malformed access token"));
        }
        if (result instanceof TokenResult.Accepted accepted) {
            request.setAttribute(PRINCIPAL, accepted.principal());
            chain.doFilter(request, response);
            return;
        }
        refuse(request, response, settings, (TokenResult.Rejected) result);
    }

    private static void refuse(
            HttpServletRequest request,
            HttpServletResponse response,
            OAuthSettings settings,
            TokenResult.Rejected rejected)
            throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(
                "WWW-Authenticate",
                BearerChallenge.refused(settings.resourceMetadataUrl(), rejected, settings.requiredScopes()));
        if (rejected.error() == BearerError.KEYS_UNAVAILABLE) {
            headers.put("Retry-After", "30");
        }
        Refusal.send(
                request, response, rejected.error().status(), rejected.error().code(), rejected.description(), headers);
    }

    /** Whether the raw query string has an {@code access_token} parameter (read without touching the body). */
    static boolean tokenInQuery(String query) {
        if (query == null || query.isEmpty()) {
            return false;
        }
        for (String pair : query.split("&")) {
            String name = pair.split("=", 2)[0];
            try {
                name = URLDecoder.decode(name, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                // a malformed escape: compare the raw name
            }
            if (name.trim().equalsIgnoreCase("access_token")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void destroy() {
        oauth.ifPresent(BearerTokenValidator::close);
    }
}
