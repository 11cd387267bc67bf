package io.opsmcp.server.ui;

import io.opsmcp.core.tool.Principal;
import io.opsmcp.guard.approval.Approval;
import io.opsmcp.guard.approval.ApprovalException;
import io.opsmcp.guard.approval.ApprovalService;
import io.opsmcp.server.auth.ApiKeys;
import io.opsmcp.toolkit.redact.Redactor;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The approval page: {@code GET /ui/approvals} (pending, {@code ?status=all} for every status), {@code GET
 * /ui/approvals/{id}} (the change as a before/after table, the policy's reasons, who may approve, the history),
 * {@code POST /ui/approvals/{id}/vote} (approve or deny with a reason), sign-in at {@code /ui/login} (an API key, or
 * the {@code oauth.issuer} with {@link OidcSignIn}) and {@code POST /ui/logout}. Plain server-rendered HTML
 * ({@link Html} escapes every value) and one stylesheet; no script at all.
 *
 * <p>Votes go through the same {@link ApprovalService} as the approvals API and the CLI: roles, self-approval and
 * N-of-M are its rules, the signed-in principal is the voter. Browser defences: a session cookie that is
 * {@code HttpOnly}, {@code SameSite=Strict} and {@code Secure} (except plain http on loopback), with a new id at
 * sign-in; a synchronizer CSRF token in every form; the transport's {@code Host}/{@code Origin} check; and on every
 * response {@code Content-Security-Policy: default-src 'none'; style-src 'self'; form-action 'self';
 * frame-ancestors 'none'; base-uri 'none'} (no inline script or style can run), {@code X-Frame-Options: DENY},
 * {@code Referrer-Policy: same-origin}, {@code Cache-Control: no-store}.
 */
public final class ApprovalPages implements AutoCloseable {

    /** Paths under this prefix are the UI's: it authenticates them itself (session cookie), not the API filter. */
    public static final String PREFIX = "/ui/";

    static final String CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self';"
            + " frame-ancestors 'none'; base-uri 'none'";
    private static final Pattern ARROW = Pattern.compile("^(.*?)(\\S+)\\s*(?:->|→|=>)\\s*(.+)$");
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
    private static final String LOGIN_COOKIE = "ops-mcp-ui-login";

    private final ApprovalService approvals;
    private final ApiKeys apiKeys;
    private final boolean apiKeySignIn;
    private final Optional<OidcSignIn> oidc;
    private final Redactor redactor;
    private final UiSessions sessions;
    private final boolean secureCookies;
    private final Optional<URI> publicUrl;
    private final Clock clock;
    private final Duration ttl;

    /**
     * @param secureCookies whether cookies carry {@code Secure} (everything but plain http on loopback)
     * @param publicUrl     the origin browsers use (the OIDC redirect URI is built on it), or empty: the request's
     */
    public ApprovalPages(
            ApprovalService approvals,
            ApiKeys apiKeys,
            boolean apiKeySignIn,
            Optional<OidcSignIn> oidc,
            Redactor redactor,
            boolean secureCookies,
            Optional<URI> publicUrl,
            Duration sessionTtl,
            Clock clock) {
        this.approvals = approvals;
        this.apiKeys = apiKeys;
        this.apiKeySignIn = apiKeySignIn && !apiKeys.isEmpty();
        this.oidc = oidc;
        this.redactor = redactor;
        this.secureCookies = secureCookies;
        this.publicUrl = publicUrl;
        this.clock = clock;
        this.ttl = sessionTtl;
        this.sessions = new UiSessions(clock, sessionTtl);
    }

    /**
     * The page for a running server: {@code ui:} settings, its API keys, OIDC sign-in when both {@code oauth} and
     * {@code ui.oidc} are set, {@code Secure} cookies unless it is bound to loopback and has no https public URL.
     */
    public static ApprovalPages of(io.opsmcp.server.OpsMcpRuntime runtime) {
        var config = runtime.config();
        UiSettings ui = UiSettings.fromConfig(config.tree(), System.getenv());
        boolean loopback = isLoopback(config.server().bind());
        boolean https = ui.publicUrl().map(u -> "https".equals(u.getScheme())).orElse(false);
        Optional<OidcSignIn> oidc = config.oauth().flatMap(o -> ui.oidc().map(c -> new OidcSignIn(o, c)));
        return new ApprovalPages(
                runtime.approvals(),
                config.apiKeys(),
                ui.apiKeySignIn().orElse(loopback),
                oidc,
                runtime.redactor(),
                https || !loopback,
                ui.publicUrl(),
                ui.sessionTtl(),
                Clock.systemUTC());
    }

    /** Whether {@code host} is a loopback name or address (127.0.0.0/8, ::1, localhost). */
    static boolean isLoopback(String host) {
        return host != null
                && (host.equals("localhost") || host.equals("::1") || host.equals("[::1]") || host.startsWith("127."));
    }

    /** The routes under {@code /ui}. */
    public RouterFunction<ServerResponse> routes() {
        return RouterFunctions.route()
                .GET("/ui", r -> redirect("/ui/approvals"))
                .GET("/ui/", r -> redirect("/ui/approvals"))
                .GET(
                        "/ui/static/ui.css",
                        r -> secured(ServerResponse.ok())
                                .contentType(new MediaType("text", "css"))
                                .body(UiStyle.CSS))
                .GET("/ui/login", this::loginPage)
                .POST("/ui/login", this::apiKeyLogin)
                .GET("/ui/login/oidc", this::oidcStart)
                .GET("/ui/login/callback", this::oidcCallback)
                .POST("/ui/logout", this::logout)
                .GET("/ui/approvals", this::list)
                .GET("/ui/approvals/{id}", this::detail)
                .POST("/ui/approvals/{id}/vote", this::vote)
                .build();
    }

    // --- pages

    private ServerResponse list(ServerRequest request) {
        Optional<UiSessions.Session> session = signedIn(request);
        if (session.isEmpty()) {
            return redirect("/ui/login");
        }
        boolean all = "all".equals(request.param("status").orElse("pending"));
        List<Approval> shown =
                approvals.list(all ? EnumSet.allOf(Approval.Status.class) : EnumSet.of(Approval.Status.PENDING), 200);
        Html h = Html.page(all ? "Approvals" : "Pending approvals");
        header(h, session.get());
        h.open("main");
        h.element("h1", all ? "Approvals" : "Pending approvals");
        h.open("p")
                .element(
                        "a",
                        all ? "Show pending only" : "Show every status",
                        "href",
                        all ? "/ui/approvals" : "/ui/approvals?status=all")
                .close("p");
        if (shown.isEmpty()) {
            h.element("p", all ? "No approvals." : "Nothing is waiting for approval.", "class", "empty");
        } else {
            h.open("table", "class", "approvals");
            h.element("caption", shown.size() + (all ? " approval(s)" : " pending approval(s)"));
            h.open("thead").open("tr");
            for (String col :
                    List.of("Tool", "Environment", "Resource", "Change", "Requested by", "Status", "Expires")) {
                h.element("th", col, "scope", "col");
            }
            h.close("tr").close("thead").open("tbody");
            for (Approval a : shown) {
                h.open("tr");
                h.open("td")
                        .element("a", a.tool(), "href", "/ui/approvals/" + a.id())
                        .close("td");
                h.open("td")
                        .element("span", orDash(environment(a)), "class", "env env-" + envClass(a))
                        .close("td");
                h.element("td", orDash(redactor.redact(resource(a))));
                h.element("td", orDash(redactor.redact(a.changeSummary())));
                h.element("td", a.requester());
                h.open("td")
                        .element("span", status(a), "class", "status status-" + status(a))
                        .close("td");
                h.element("td", TIME.format(a.expiresAt()));
                h.close("tr");
            }
            h.close("tbody").close("table");
        }
        h.close("main");
        return html(HttpStatus.OK, h.end());
    }

    private ServerResponse detail(ServerRequest request) {
        Optional<UiSessions.Session> session = signedIn(request);
        if (session.isEmpty()) {
            return redirect("/ui/login");
        }
        return detailPage(
                session.get(),
                request.pathVariable("id"),
                null, // never text from the URL: a crafted link must not put words on this page
                null);
    }

    private ServerResponse detailPage(UiSessions.Session session, String id, String error, HttpStatus statusOverride) {
        Optional<Approval> found = approvals.find(id);
        if (found.isEmpty()) {
            Html h = Html.page("Approval not found");
            header(h, session);
            h.open("main").element("h1", "Approval not found");
            h.element("p", "There is no approval " + id + ".");
            h.open("p")
                    .element("a", "Back to the pending approvals", "href", "/ui/approvals")
                    .close("p");
            h.close("main");
            return html(HttpStatus.NOT_FOUND, h.end());
        }
        Approval a = found.get();
        Html h = Html.page("Approval for " + a.tool());
        header(h, session);
        h.open("main");
        h.open("p")
                .element("a", "All pending approvals", "href", "/ui/approvals")
                .close("p");
        h.open("h1").text(a.tool() + " ").element("span", status(a), "class", "status status-" + status(a));
        h.close("h1");
        if (error != null) {
            h.element("p", error, "class", "error", "role", "alert");
        }
        h.open("dl", "class", "facts");
        fact(h, "Approval", a.id());
        fact(h, "Environment", orDash(environment(a)));
        fact(h, "Resource", orDash(redactor.redact(resource(a))));
        fact(h, "Requested by", a.requester());
        fact(h, "Requested at", TIME.format(a.createdAt()));
        fact(h, "Expires", TIME.format(a.expiresAt()));
        fact(
                h,
                "Who may approve",
                a.minApprovals() + " approval(s) from role "
                        + (a.approverRoles().isEmpty()
                                ? "(none: nobody may vote)"
                                : String.join(" or ", a.approverRoles()))
                        + (a.allowSelfApproval() ? "" : "; not " + a.requester()));
        fact(h, "Approved so far", a.approvers().size() + " of " + a.minApprovals());
        h.close("dl");

        h.element("h2", "Change");
        diff(h, redactor.redact(a.changeSummary()));
        h.element("h2", "Why approval is needed");
        h.element("p", orDash(redactor.redact(a.reasons())), "class", "reasons");

        h.element("h2", "History");
        h.open("ol", "class", "history");
        h.element("li", TIME.format(a.createdAt()) + ": requested by " + a.requester());
        for (Approval.Vote v : a.votes()) {
            h.element(
                    "li",
                    TIME.format(v.at()) + ": " + (v.approve() ? "approved" : "denied") + " by " + v.principal()
                            + (v.reason() == null || v.reason().isBlank() ? "" : ": " + redactor.redact(v.reason())));
        }
        if (a.usedAt() != null) {
            h.element("li", TIME.format(a.usedAt()) + ": the approved call ran");
        }
        if (a.status() == Approval.Status.EXPIRED) {
            h.element("li", TIME.format(a.expiresAt()) + ": expired");
        }
        h.close("ol");

        if (a.status() == Approval.Status.PENDING) {
            h.element("h2", "Your decision");
            h.open("form", "method", "post", "action", "/ui/approvals/" + a.id() + "/vote", "class", "vote");
            h.open("input", "type", "hidden", "name", "csrf", "value", session.csrf());
            h.element("label", "Reason (recorded with your vote)", "for", "reason");
            h.open("textarea", "id", "reason", "name", "reason", "rows", "3", "maxlength", "500")
                    .close("textarea");
            h.open("div", "class", "buttons");
            h.element(
                    "button", "Approve", "type", "submit", "name", "decision", "value", "approve", "class", "approve");
            h.element("button", "Deny", "type", "submit", "name", "decision", "value", "deny", "class", "deny");
            h.close("div");
            h.close("form");
        }
        h.close("main");
        return html(statusOverride == null ? HttpStatus.OK : statusOverride, h.end());
    }

    private ServerResponse vote(ServerRequest request) throws java.io.IOException {
        Map<String, String> form = form(request);
        Optional<UiSessions.Session> session = signedIn(request);
        if (session.isEmpty()) {
            return plain(HttpStatus.UNAUTHORIZED, "Sign in first: /ui/login");
        }
        if (!UiSessions.csrfMatches(
                session.get(), Optional.ofNullable(form.get("csrf")).orElse(null))) {
            return plain(
                    HttpStatus.FORBIDDEN, "The form's CSRF token is missing or wrong; reload the page and try again.");
        }
        String id = request.pathVariable("id");
        String decision = Optional.ofNullable(form.get("decision")).orElse("");
        if (!decision.equals("approve") && !decision.equals("deny")) {
            return plain(HttpStatus.BAD_REQUEST, "decision: must be approve or deny");
        }
        String reason = Optional.ofNullable(form.get("reason"))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .orElse(null);
        if (reason != null && reason.length() > 500) {
            reason = reason.substring(0, 500);
        }
        Principal voter = session.get().principal();
        try {
            if (decision.equals("approve")) {
                approvals.approve(id, voter, reason);
            } else {
                approvals.deny(id, voter, reason);
            }
        } catch (ApprovalException e) {
            return detailPage(session.get(), id, "Your vote was not recorded: " + e.getMessage(), HttpStatus.CONFLICT);
        }
        return redirect("/ui/approvals/" + id); // POST/redirect/GET: a reload does not vote twice
    }

    // --- sign-in

    private ServerResponse loginPage(ServerRequest request) {
        if (signedIn(request).isPresent()) {
            return redirect("/ui/approvals");
        }
        String id = sessions.startAnonymous(null);
        UiSessions.Session pre = sessions.find(id).orElseThrow();
        return loginPage(pre, null, HttpStatus.OK, cookie(sessionCookie(), id, ttl));
    }

    private ServerResponse loginPage(UiSessions.Session pre, String error, HttpStatus status, String setCookie) {
        Html h = Html.page("Sign in to ops-mcp approvals");
        h.open("main", "class", "login");
        h.element("h1", "Sign in to ops-mcp approvals");
        if (error != null) {
            h.element("p", error, "class", "error", "role", "alert");
        }
        if (oidc.isPresent()) {
            h.open("p")
                    .element("a", "Sign in with " + oidc.get().issuer(), "href", "/ui/login/oidc", "class", "button")
                    .close("p");
        }
        if (apiKeySignIn) {
            h.open("form", "method", "post", "action", "/ui/login");
            h.open("input", "type", "hidden", "name", "csrf", "value", pre.csrf());
            h.element("label", "API key", "for", "api_key");
            h.open(
                    "input",
                    "type",
                    "password",
                    "id",
                    "api_key",
                    "name",
                    "api_key",
                    "autocomplete",
                    "off",
                    "required",
                    "required");
            h.element("button", "Sign in with API key", "type", "submit");
            h.close("form");
        }
        if (oidc.isEmpty() && !apiKeySignIn) {
            h.element(
                    "p",
                    "No sign-in is configured: set ui.oidc (with oauth) or, on loopback, auth.api_keys."
                            + " Approvers can use the CLI: ops-mcp approvals approve ID");
        }
        h.close("main");
        ServerResponse.BodyBuilder b = secured(ServerResponse.status(status)).contentType(MediaType.TEXT_HTML);
        if (setCookie != null) {
            b.header("Set-Cookie", setCookie);
        }
        return b.body(h.end());
    }

    private ServerResponse apiKeyLogin(ServerRequest request) throws java.io.IOException {
        Map<String, String> form = form(request);
        HttpServletRequest servlet = request.servletRequest();
        String previous = cookieValue(servlet, sessionCookie());
        Optional<UiSessions.Session> pre = sessions.find(previous);
        if (pre.isEmpty()
                || !UiSessions.csrfMatches(
                        pre.get(), Optional.ofNullable(form.get("csrf")).orElse(null))) {
            return plain(HttpStatus.FORBIDDEN, "The sign-in form's CSRF token is missing or wrong; reload /ui/login.");
        }
        if (!apiKeySignIn) {
            return plain(HttpStatus.FORBIDDEN, "API-key sign-in is off (ui.api_key_sign_in)");
        }
        Optional<Principal> principal =
                apiKeys.authenticateKey(Optional.ofNullable(form.get("api_key")).orElse(""));
        if (principal.isEmpty()) {
            return loginPage(pre.get(), "Unknown API key.", HttpStatus.UNAUTHORIZED, null);
        }
        String id = sessions.signIn(previous, principal.get());
        return ServerResponse.status(HttpStatus.SEE_OTHER)
                .header("Location", "/ui/approvals")
                .header("Set-Cookie", cookie(sessionCookie(), id, ttl))
                .headers(UiHeaders::apply)
                .build();
    }

    private ServerResponse oidcStart(ServerRequest request) {
        if (oidc.isEmpty()) {
            return plain(HttpStatus.NOT_FOUND, "OIDC sign-in is not configured (ui.oidc)");
        }
        String state = sessions.token();
        String verifier = sessions.token() + sessions.token(); // 86 characters, RFC 7636 §4.1 (43..128)
        String id = sessions.startAnonymous(new UiSessions.PendingLogin(state, verifier));
        URI target;
        try {
            target = oidc.get().authorizationUrl(state, verifier, redirectUri(request));
        } catch (IllegalStateException e) {
            return plain(HttpStatus.SERVICE_UNAVAILABLE, "Cannot reach the sign-in provider: " + e.getMessage());
        }
        // The IdP sends the browser back cross-site: a SameSite=Strict cookie would not come along, so the login
        // transaction has its own Lax cookie, limited to the callback path and 15 minutes.
        return ServerResponse.status(HttpStatus.FOUND)
                .header("Location", target.toString())
                .header("Set-Cookie", loginCookie(id, Duration.ofMinutes(15)))
                .headers(UiHeaders::apply)
                .build();
    }

    private ServerResponse oidcCallback(ServerRequest request) {
        if (oidc.isEmpty()) {
            return plain(HttpStatus.NOT_FOUND, "OIDC sign-in is not configured (ui.oidc)");
        }
        String loginId = cookieValue(request.servletRequest(), LOGIN_COOKIE);
        Optional<UiSessions.Session> pre = sessions.find(loginId);
        sessions.end(loginId); // one use
        if (pre.isEmpty() || pre.get().login() == null) {
            return plain(HttpStatus.BAD_REQUEST, "This sign-in expired or was already used; start again at /ui/login.");
        }
        String state = request.param("state").orElse("");
        if (!java.security.MessageDigest.isEqual(
                state.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                pre.get().login().state().getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
            return plain(HttpStatus.BAD_REQUEST, "The sign-in state does not match; start again at /ui/login.");
        }
        Optional<String> code = request.param("code");
        if (code.isEmpty()) {
            return plain(HttpStatus.UNAUTHORIZED, "The sign-in provider returned no code; start again at /ui/login.");
        }
        StringBuilder problem = new StringBuilder();
        Optional<Principal> principal =
                oidc.get().redeem(code.get(), pre.get().login().verifier(), redirectUri(request), problem);
        if (principal.isEmpty()) {
            return plain(HttpStatus.UNAUTHORIZED, "Sign-in failed: " + problem + ".");
        }
        String id = sessions.signIn(cookieValue(request.servletRequest(), sessionCookie()), principal.get());
        // A page of our own continues to the list: a navigation it starts is same-site, so the Strict cookie set
        // here is sent with it (a redirect would still be part of the IdP's cross-site navigation).
        Html h = Html.page("Signed in", "/ui/approvals");
        String body = h.open("main")
                .element("h1", "Signed in as " + principal.get().id())
                .open("p")
                .element("a", "Continue to the pending approvals", "href", "/ui/approvals")
                .close("p")
                .close("main")
                .end();
        return secured(ServerResponse.ok())
                .contentType(MediaType.TEXT_HTML)
                .header("Set-Cookie", cookie(sessionCookie(), id, ttl))
                .header("Set-Cookie", loginCookie("", Duration.ZERO))
                .body(body);
    }

    private ServerResponse logout(ServerRequest request) throws java.io.IOException {
        Map<String, String> form = form(request);
        String id = cookieValue(request.servletRequest(), sessionCookie());
        Optional<UiSessions.Session> session = sessions.find(id);
        if (session.isEmpty()
                || !UiSessions.csrfMatches(
                        session.get(), Optional.ofNullable(form.get("csrf")).orElse(null))) {
            return plain(HttpStatus.FORBIDDEN, "The form's CSRF token is missing or wrong.");
        }
        sessions.end(id);
        return ServerResponse.status(HttpStatus.SEE_OTHER)
                .header("Location", "/ui/login")
                .header("Set-Cookie", cookie(sessionCookie(), "", Duration.ZERO))
                .headers(UiHeaders::apply)
                .build();
    }

    // --- helpers

    /**
     * The fields of an {@code application/x-www-form-urlencoded} body (HTML 5 §4.10.21.8; first value wins). Read
     * from the body itself: the request-limits filter has already consumed and cached it, so the container's
     * parameter parsing sees nothing.
     */
    static Map<String, String> form(ServerRequest request) throws java.io.IOException {
        Map<String, String> fields = new java.util.HashMap<>();
        String type = request.servletRequest().getContentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            return fields;
        }
        String body = new String(
                request.servletRequest().getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            String[] kv = pair.split("=", 2);
            try {
                fields.putIfAbsent(
                        java.net.URLDecoder.decode(kv[0], java.nio.charset.StandardCharsets.UTF_8),
                        kv.length < 2
                                ? ""
                                : java.net.URLDecoder.decode(kv[1], java.nio.charset.StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                // a malformed escape: the field is left out (and a missing CSRF token refuses the request)
            }
        }
        return fields;
    }

    private Optional<UiSessions.Session> signedIn(ServerRequest request) {
        return sessions.find(cookieValue(request.servletRequest(), sessionCookie()))
                .filter(s -> s.principal() != null);
    }

    private void header(Html h, UiSessions.Session session) {
        h.open("header");
        h.element("a", "ops-mcp approvals", "href", "/ui/approvals", "class", "brand");
        h.open("form", "method", "post", "action", "/ui/logout", "class", "logout");
        h.element(
                "span",
                "Signed in as " + session.principal().id() + " ("
                        + (session.principal().roles().isEmpty()
                                ? "no roles"
                                : String.join(
                                        ", ",
                                        new java.util.TreeSet<>(
                                                session.principal().roles())))
                        + ")");
        h.open("input", "type", "hidden", "name", "csrf", "value", session.csrf());
        h.element("button", "Sign out", "type", "submit");
        h.close("form");
        h.close("header");
    }

    private static void fact(Html h, String name, String value) {
        h.element("dt", name).element("dd", value);
    }

    /**
     * The change summary as a before/after table when its parts read {@code field before -> after} (separated by
     * {@code ;} or {@code ,}), else as preformatted text.
     */
    static void diff(Html h, String summary) {
        if (summary == null || summary.isBlank()) {
            h.element("p", "No change preview: the tool did not describe one.");
            return;
        }
        List<String[]> rows = new ArrayList<>();
        for (String part : summary.split(";|,(?=\\s*\\S+\\s+\\S+\\s*(?:->|→|=>))")) {
            Matcher m = ARROW.matcher(part.strip());
            if (!m.matches()) {
                rows = null;
                break;
            }
            String left = m.group(1).strip();
            int space = left.lastIndexOf(' ');
            String field = space < 0 ? left : left.substring(0, space);
            String before = space < 0 ? m.group(2) : left.substring(space + 1) + " " + m.group(2);
            if (field.isEmpty()) {
                field = "-";
            }
            rows.add(new String[] {field, before.strip(), m.group(3).strip()});
        }
        if (rows == null || rows.isEmpty()) {
            h.element("pre", summary, "class", "change");
            return;
        }
        h.open("table", "class", "diff");
        h.element("caption", "Before and after");
        h.open("thead").open("tr");
        h.element("th", "Setting", "scope", "col").element("th", "Before", "scope", "col");
        h.element("th", "After", "scope", "col");
        h.close("tr").close("thead").open("tbody");
        for (String[] r : rows) {
            h.open("tr").element("th", r[0], "scope", "row");
            h.open("td", "class", "before").element("del", r[1]).close("td");
            h.open("td", "class", "after").element("ins", r[2]).close("td");
            h.close("tr");
        }
        h.close("tbody").close("table");
        h.element("p", summary, "class", "summary");
    }

    private static String environment(Approval a) {
        return a.resource() == null ? null : a.resource().path("environment").asString(null);
    }

    private static String envClass(Approval a) {
        String env = environment(a);
        return env != null && env.matches("[a-z0-9-]{1,30}") ? env : "other";
    }

    private static String resource(Approval a) {
        if (a.resource() == null) {
            return null;
        }
        String kind = a.resource().path("kind").asString(null);
        String name = a.resource().path("name").asString(null);
        return kind == null ? name : name == null ? kind : kind + " " + name;
    }

    private static String status(Approval a) {
        return a.status().name().toLowerCase(Locale.ROOT);
    }

    private static String orDash(String s) {
        return s == null || s.isBlank() ? "-" : s;
    }

    private URI redirectUri(ServerRequest request) {
        String origin = publicUrl.map(URI::toString).orElseGet(() -> {
            HttpServletRequest r = request.servletRequest();
            return r.getScheme() + "://" + r.getServerName() + ":" + r.getServerPort();
        });
        return URI.create(origin + "/ui/login/callback");
    }

    private String sessionCookie() {
        return secureCookies ? "__Host-ops-mcp-ui" : "ops-mcp-ui";
    }

    private String cookie(String name, String value, Duration maxAge) {
        return name + "=" + value + "; Path=/; Max-Age=" + maxAge.toSeconds() + "; HttpOnly; SameSite=Strict"
                + (secureCookies ? "; Secure" : "");
    }

    private String loginCookie(String value, Duration maxAge) {
        return LOGIN_COOKIE + "=" + value + "; Path=/ui/login/callback; Max-Age=" + maxAge.toSeconds()
                + "; HttpOnly; SameSite=Lax" + (secureCookies ? "; Secure" : "");
    }

    private static String cookieValue(HttpServletRequest request, String name) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return null;
        }
        for (Cookie c : cookies) {
            if (name.equals(c.getName())) {
                return c.getValue();
            }
        }
        return null;
    }

    private static ServerResponse redirect(String path) {
        return ServerResponse.status(HttpStatus.SEE_OTHER)
                .header("Location", path)
                .headers(UiHeaders::apply)
                .build();
    }

    private static ServerResponse html(HttpStatus status, String body) {
        return secured(ServerResponse.status(status))
                .contentType(MediaType.TEXT_HTML)
                .body(body);
    }

    private static ServerResponse plain(HttpStatus status, String message) {
        Html h = Html.page(message);
        h.open("main").element("h1", status.value() + " " + status.getReasonPhrase());
        h.element("p", message, "role", "alert");
        h.open("p")
                .element("a", "Back to the approvals", "href", "/ui/approvals")
                .close("p");
        h.close("main");
        return html(status, h.end());
    }

    private static ServerResponse.BodyBuilder secured(ServerResponse.BodyBuilder b) {
        b.headers(UiHeaders::apply);
        return b;
    }

    @Override
    public void close() {
        oidc.ifPresent(OidcSignIn::close);
    }
}
