package io.opsmcp.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.guard.approval.Approval;
import io.opsmcp.server.OpsMcpRuntime;
import io.opsmcp.server.auth.ApiKeys;
import io.opsmcp.server.config.ConfigLoader;
import io.opsmcp.server.config.OpsMcpConfig;
import io.opsmcp.server.http.HttpTransport;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The approval page over real HTTP, from the browser's and the attacker's side: sign-in, the CSRF token, the
 * session cookie, the security headers, escaping of hostile text, and votes under the ApprovalService rules.
 */
class ApprovalPagesTest {

    private static final String XSS = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>";
    private static final String SECRET = "ghp_" + "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";

    @TempDir
    static Path dir;

    private static OpsMcpRuntime runtime;
    private static com.sun.net.httpserver.HttpServer receiver;
    private static final java.util.concurrent.BlockingQueue<String> NOTIFIED =
            new java.util.concurrent.LinkedBlockingQueue<>();
    private static HttpTransport http;

    @BeforeAll
    static void start() throws Exception {
        // a webhook receiver for the notifications wired by OpsMcpRuntime
        receiver = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            NOTIFIED.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        Path file = dir.resolve("ops-mcp.yaml");
        Files.writeString(
                file,
                "notifications:\n  sinks:\n    - {name: hook, type: webhook, url: 'http://127.0.0.1:"
                        + receiver.getAddress().getPort() + "/hook', events: [requested]}\n"
                        + "ui: {public_url: 'http://127.0.0.1:8443'}\n"
                        + "auth:\n  api_keys:\n"
                        + "    - {principal: alice, roles: [sre, sre-lead], sha256: " + ApiKeys.sha256Hex("alice-key")
                        + "}\n"
                        + "    - {principal: bob, roles: [sre-lead], sha256: " + ApiKeys.sha256Hex("bob-key") + "}\n");
        OpsMcpConfig config = new ConfigLoader(Map.of())
                .load(file, new ConfigLoader.Overrides("http", null, 0, List.of(), false, "warn", dir.resolve("data")));
        runtime = OpsMcpRuntime.start(config);
        http = HttpTransport.start(runtime);
    }

    @AfterAll
    static void stop() {
        if (http != null) {
            http.close();
        }
        if (runtime != null) {
            runtime.close();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    private static Approval pending(String tool, String summary) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        var resource = JsonNodeFactory.instance.objectNode();
        resource.put("kind", "ecs:service");
        resource.put("environment", "prod");
        resource.put("name", "checkout" + XSS);
        return runtime.approvals()
                .create(new Approval(
                        null,
                        tool,
                        "0".repeat(64),
                        "alice",
                        resource,
                        summary,
                        1,
                        List.of("sre-lead"),
                        false,
                        now,
                        now.plusSeconds(900),
                        Approval.Status.PENDING,
                        List.of(),
                        null,
                        "prod changes need approval " + XSS));
    }

    @Test
    void signedOutBrowsersAreSentToSignInAndEveryAnswerCarriesTheSecurityHeaders() throws Exception {
        HttpResponse<String> r = get("/ui/approvals", null);
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).hasValue("/ui/login");
        HttpResponse<String> login = get("/ui/login", null);
        String csp = login.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(csp)
                .contains("default-src 'none'", "frame-ancestors 'none'", "form-action 'self'")
                .doesNotContain("unsafe-inline", "unsafe-eval");
        assertThat(login.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(login.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(login.body()).doesNotContain("<script", " style=");
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).contains("HttpOnly", "SameSite=Strict").doesNotContain("Secure"); // plain http on loopback
    }

    @Test
    void signInNeedsTheFormsCsrfTokenAndIssuesANewSessionId() throws Exception {
        Browser pre = Browser.open();
        assertThat(post("/ui/login", pre.cookie, Map.of("api_key", "bob-key")).statusCode())
                .as("no CSRF token: a cross-site login form is refused")
                .isEqualTo(403);
        assertThat(post("/ui/login", pre.cookie, Map.of("api_key", "bob-key", "csrf", "forged"))
                        .statusCode())
                .isEqualTo(403);
        assertThat(post("/ui/login", pre.cookie, Map.of("api_key", "wrong-key", "csrf", pre.csrf))
                        .statusCode())
                .isEqualTo(401);
        Browser bob = pre.signIn("bob-key");
        assertThat(bob.cookie).isNotEqualTo(pre.cookie);
        assertThat(get("/ui/approvals", bob.cookie).statusCode()).isEqualTo(200);
        assertThat(get("/ui/approvals", pre.cookie).statusCode())
                .as("the pre-sign-in id is worthless after sign-in (session fixation)")
                .isEqualTo(303);
    }

    @Test
    void hostileTextIsEscapedAndSecretsRedacted() throws Exception {
        Approval a = pending("ecs_service_scale" + XSS, "desiredCount 4 -> 0; token " + SECRET + " " + XSS);
        Browser bob = Browser.open().signIn("bob-key");
        for (String page : List.of("/ui/approvals", "/ui/approvals/" + a.id())) {
            String body = get(page, bob.cookie).body();
            assertThat(body).doesNotContain("<script>", "<img", "onerror=alert(2)>", SECRET);
            assertThat(body).contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&gt;&lt;img");
        }
    }

    @Test
    void votesFollowTheApprovalRulesAndNeedTheCsrfTokenAndOurOrigin() throws Exception {
        Approval a = pending("ecs_service_scale", "desiredCount 4 -> 0");
        String vote = "/ui/approvals/" + a.id() + "/vote";
        Browser alice = Browser.open().signIn("alice-key");
        Browser bob = Browser.open().signIn("bob-key");

        assertThat(post(vote, bob.cookie, Map.of("decision", "approve")).statusCode())
                .isEqualTo(403);
        assertThat(post(vote, bob.cookie, Map.of("decision", "approve", "csrf", alice.csrf))
                        .statusCode())
                .as("another session's token")
                .isEqualTo(403);
        var foreign = HttpRequest.newBuilder(url(vote))
                .header("Cookie", bob.cookie)
                .header("Origin", "https://evil.example")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("decision", "approve", "csrf", bob.csrf))))
                .build();
        assertThat(client().send(foreign, HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(403);
        assertThat(status(a)).isEqualTo(Approval.Status.PENDING);

        HttpResponse<String> self = post(vote, alice.cookie, Map.of("decision", "approve", "csrf", alice.csrf));
        assertThat(self.statusCode()).isEqualTo(409);
        assertThat(self.body()).contains("self-approval is not allowed");
        assertThat(status(a)).isEqualTo(Approval.Status.PENDING);

        HttpResponse<String> ok =
                post(vote, bob.cookie, Map.of("decision", "approve", "csrf", bob.csrf, "reason", "checked the graph"));
        assertThat(ok.statusCode()).isEqualTo(303);
        assertThat(status(a)).isEqualTo(Approval.Status.APPROVED);
        assertThat(runtime.approvals().find(a.id()).orElseThrow().votes().get(0).reason())
                .isEqualTo("checked the graph");
        assertThat(get("/ui/approvals/" + a.id(), bob.cookie).body())
                .contains("approved by bob: checked the graph")
                .doesNotContain("name=\"decision\"");
    }

    @Test
    void signOutEndsTheSession() throws Exception {
        Browser bob = Browser.open().signIn("bob-key");
        assertThat(post("/ui/logout", bob.cookie, Map.of()).statusCode()).isEqualTo(403);
        assertThat(post("/ui/logout", bob.cookie, Map.of("csrf", bob.csrf)).statusCode())
                .isEqualTo(303);
        assertThat(get("/ui/approvals", bob.cookie).statusCode()).isEqualTo(303);
    }

    @Test
    void aRequestedApprovalIsNotifiedWithALinkToItsPage() throws Exception {
        Approval a = pending("ecs_service_scale", "desiredCount 4 -> 0; token " + SECRET);
        String body = null;
        for (int i = 0; i < 10 && (body == null || !body.contains(a.id())); i++) {
            body = NOTIFIED.poll(2, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertThat(body)
                .contains("\"type\":\"approval.requested\"", "\"environment\":\"prod\"")
                .contains("\"url\":\"http://127.0.0.1:8443/ui/approvals/" + a.id() + "\"")
                .doesNotContain(SECRET);
    }

    @Test
    void theUiPrefixDoesNotOpenTheApiPastItsAuthentication() throws Exception {
        for (String path : List.of("/ui/../approvals", "/ui/%2e%2e/approvals", "/ui;x=1/../approvals")) {
            HttpResponse<String> r = client().send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path).isIn(400, 401, 404);
            assertThat(r.body()).as(path).doesNotContain("approval_id");
        }
    }

    // --- a minimal browser

    private record Browser(String cookie, String csrf) {
        static Browser open() throws Exception {
            HttpResponse<String> login = get("/ui/login", null);
            return new Browser(cookieOf(login), csrfOf(login.body()));
        }

        Browser signIn(String key) throws Exception {
            HttpResponse<String> r = post("/ui/login", cookie, Map.of("api_key", key, "csrf", csrf));
            assertThat(r.statusCode()).isEqualTo(303);
            String session = cookieOf(r);
            return new Browser(session, csrfOf(get("/ui/approvals", session).body()));
        }
    }

    private static String cookieOf(HttpResponse<String> r) {
        return r.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
    }

    private static String csrfOf(String html) {
        Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(html);
        assertThat(m.find()).as("a CSRF field").isTrue();
        return m.group(1);
    }

    /**
     * A client per request, as a browser tab would open connections: a shared one keeps idle connections that the
     * server's graceful shutdown waits for. It never follows redirects.
     */
    private static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    private static Approval.Status status(Approval a) {
        return runtime.approvals().find(a.id()).orElseThrow().status();
    }

    private static URI url(String path) {
        return URI.create("http://127.0.0.1:" + http.port() + path);
    }

    private static HttpResponse<String> get(String path, String cookie) throws Exception {
        var b = HttpRequest.newBuilder(url(path)).GET();
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return client().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String cookie, Map<String, String> fields) throws Exception {
        var b = HttpRequest.newBuilder(url(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", "http://127.0.0.1:" + http.port())
                .POST(HttpRequest.BodyPublishers.ofString(form(fields)));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return client().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String form(Map<String, String> fields) {
        return new LinkedHashMap<>(fields)
                .entrySet().stream()
                        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                        .collect(Collectors.joining("&"));
    }
}
