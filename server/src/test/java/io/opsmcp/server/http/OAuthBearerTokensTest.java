package io.opsmcp.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.opsmcp.guard.approval.Approval;
import io.opsmcp.guard.audit.AuditEntry;
import io.opsmcp.server.LogSetup;
import io.opsmcp.server.OpsMcpRuntime;
import io.opsmcp.server.auth.ApiKeys;
import io.opsmcp.server.config.ConfigLoader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * OAuth 2.1 bearer tokens over real HTTP (MCP authorization specification 2025-11-25): a real authorization server
 * (mock-oauth2-server) issues the tokens, the real ops-mcp server (sandbox hosts, the shipped policy, the embedded
 * store) validates them. Good tokens reach the policy and the audit with their principal and mapped roles; every
 * bad token is refused with an RFC 6750 challenge pointing at the protected resource metadata; API keys keep
 * working; approvers vote with their tokens. At the end, no token appears in any log line, response body or audit
 * record (logs captured at the most verbose level an operator can configure).
 */
class OAuthBearerTokensTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String CI_KEY = "ci-bot-key-0123456789abcdef";
    /**
     * Loggers of this JVM's other parties, not of ops-mcp: the test's HTTP client (which logs the URLs it sends,
     * {@code ?access_token=…} included) and the authorization server.
     */
    private static final List<String> CLIENT_SIDE =
            List.of("jdk.internal.httpclient", "no.nav.security", "mockwebserver3", "okhttp3");

    private static Path dataDir;
    private static OAuthIdp idp;
    private static OpsMcpRuntime runtime;
    private static HttpTransport http;
    private static String base;
    private static String resource;
    private static final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private static final List<String> tokens = new ArrayList<>();
    private static final List<String> bodies = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        LogSetup.apply("debug", null, LogSetup.Format.TEXT);
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logs.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
        logs.start();
        root.addAppender(logs);

        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        base = "http://127.0.0.1:" + port;
        resource = base + "/mcp";
        idp = new OAuthIdp(resource);
        dataDir = Files.createTempDirectory("oauth-http");
        Path config = dataDir.resolve("ops-mcp.yaml");
        Files.writeString(
                config,
                "auth:\n  api_keys:\n    - {principal: ci-bot, roles: [sre], sha256: " + ApiKeys.sha256Hex(CI_KEY)
                        + "}\n"
                        + "oauth:\n"
                        + "  issuer: " + idp.issuer() + "\n"
                        + "  resource: " + resource + "\n"
                        + "  required_scopes: [ops-mcp]\n"
                        + "  group_roles: {ops-oncall: [sre], ops-leads: [sre-lead], staff: [viewer]}\n"
                        + "  max_token_bytes: 4096\n"
                        + "  jwks: {refresh_min_interval: 1s, timeout: 10s}\n");
        runtime = OpsMcpRuntime.start(new ConfigLoader(Map.of())
                .load(
                        config,
                        new ConfigLoader.Overrides(
                                "http", "127.0.0.1", port, List.of("hosts"), true, "debug", dataDir)));
        http = HttpTransport.start(runtime);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (http != null) {
                http.close();
            }
            if (runtime != null) {
                // every audit record, as export writes it
                StringBuilder audit = new StringBuilder();
                runtime.stores()
                        .audit()
                        .tail(10_000)
                        .forEach(e -> audit.append(e.toJson()).append('\n'));
                runtime.close();
                assertNoToken("the audit log", List.of(audit.toString()));
            }
            if (idp != null) {
                idp.close();
            }
            ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
            List<ILoggingEvent> events;
            synchronized (logs) { // AppenderBase.doAppend holds this lock while it adds
                events = List.copyOf(logs.list);
            }
            List<String> lines = new ArrayList<>();
            for (ILoggingEvent event : events) {
                if (CLIENT_SIDE.stream().anyMatch(event.getLoggerName()::startsWith)) {
                    continue;
                }
                lines.add(event.getFormattedMessage());
                if (event.getThrowableProxy() != null) {
                    lines.add(ThrowableProxyUtil.asString(event.getThrowableProxy()));
                }
            }
            assertThat(lines).as("log lines captured at debug").isNotEmpty();
            assertNoToken("the logs", lines);
            assertNoToken("the response bodies and headers", bodies);
        } finally {
            ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
            LogSetup.apply("info", null, LogSetup.Format.TEXT);
            if (dataDir != null) {
                try (var paths = Files.walk(dataDir)) {
                    paths.sorted(Comparator.reverseOrder())
                            .forEach(f -> f.toFile().delete());
                }
            }
        }
    }

    private static void assertNoToken(String where, List<String> texts) {
        for (String token : tokens) {
            String[] parts = token.split("\\.");
            // the signature (or, for an unsigned token, the payload) is what makes a token a credential
            String secret = parts.length == 3 && parts[2].length() >= 16 ? parts[2] : parts[1];
            assertThat(texts).as(where).noneMatch(t -> t.contains(secret));
        }
        assertThat(texts).as(where).noneMatch(t -> t.contains(CI_KEY));
    }

    private static String remember(String token) {
        tokens.add(token);
        return token;
    }

    private static HttpResponse<String> send(String method, String path, String bearer) throws Exception {
        var builder = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .method(
                        method,
                        method.equals("POST")
                                ? HttpRequest.BodyPublishers.ofString(
                                        path.startsWith("/mcp")
                                                ? "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
                                                        + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
                                                        + "\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}"
                                                : "{\"reason\":\"checked the diff\"}")
                                : HttpRequest.BodyPublishers.noBody());
        if (bearer != null) {
            builder.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> response =
                HttpClient.newHttpClient().send(builder.build(), HttpResponse.BodyHandlers.ofString());
        bodies.add(response.body());
        bodies.add(response.headers().map().toString());
        return response;
    }

    private static McpSyncClient client(String token) {
        McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder(base)
                        .endpoint("/mcp")
                        .httpRequestCustomizer(
                                (b, method, uri, body, ctx) -> b.header("Authorization", "Bearer " + token))
                        .build())
                .requestTimeout(Duration.ofSeconds(60))
                .build();
        client.initialize();
        return client;
    }

    private static String text(McpSchema.CallToolResult result) {
        StringBuilder out = new StringBuilder();
        result.content().forEach(c -> out.append(c instanceof McpSchema.TextContent t ? t.text() : ""));
        return out.toString();
    }

    private static String challenge(HttpResponse<String> response) {
        return response.headers().firstValue("WWW-Authenticate").orElse("");
    }

    private static JWTClaimsSet.Builder claims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(idp.issuer())
                .subject("mallory")
                .audience(resource)
                .claim("scope", "ops-mcp")
                .claim("groups", List.of("ops-leads"))
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(600)));
    }

    private static void refused(String token, String description) throws Exception {
        HttpResponse<String> response = send("POST", "/mcp", remember(token));
        assertThat(response.statusCode()).as(description).isEqualTo(401);
        assertThat(challenge(response))
                .startsWith("Bearer error=\"invalid_token\"")
                .contains("error_description=\"" + description)
                .contains("resource_metadata=\"" + base + "/.well-known/oauth-protected-resource/mcp\"");
        assertThat(response.body()).contains(description).doesNotContain("serverInfo");
    }

    @Test
    void theMetadataIsPublicAndTheChallengePointsAtIt() throws Exception {
        HttpResponse<String> none = send("POST", "/mcp", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(challenge(none))
                .isEqualTo("Bearer resource_metadata=\"" + base
                        + "/.well-known/oauth-protected-resource/mcp\", scope=\"ops-mcp\"");
        // the client follows resource_metadata, unauthenticated
        String url = challenge(none).replaceAll(".*resource_metadata=\"([^\"]+)\".*", "$1");
        HttpResponse<String> metadata = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metadata.statusCode()).isEqualTo(200);
        assertThat(metadata.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode doc = JSON.readTree(metadata.body());
        assertThat(doc.path("resource").asString()).isEqualTo(resource);
        assertThat(doc.path("authorization_servers").get(0).asString()).isEqualTo(idp.issuer());
        assertThat(doc.path("scopes_supported").toString()).isEqualTo("[\"ops-mcp\"]");
        assertThat(doc.path("bearer_methods_supported").toString()).isEqualTo("[\"header\"]");
        HttpResponse<String> root = send("GET", "/.well-known/oauth-protected-resource", null);
        assertThat(root.statusCode()).isEqualTo(200);
        assertThat(root.body()).isEqualTo(metadata.body());
        // the authorization server it names is a real one: its metadata is where RFC 8414 / OIDC put it
        HttpResponse<String> as = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(idp.issuer() + "/.well-known/openid-configuration"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(JSON.readTree(as.body()).path("issuer").asString()).isEqualTo(idp.issuer());
        // other paths stay protected
        assertThat(send("GET", "/.well-known/oauth-protected-resource/other", null)
                        .statusCode())
                .isEqualTo(401);
        assertThat(send("GET", "/approvals", null).statusCode()).isEqualTo(401);
    }

    @Test
    void aGoodTokenCallsToolsAsItsPrincipalWithTheMappedRoles() {
        String alice = remember(idp.token("alice", List.of("ops-oncall")));
        String nobody = remember(idp.token("nora", List.of("contractors")));
        String viewer = remember(idp.token("vic", List.of("staff")));
        Map<String, Object> prodRead = Map.of("host", "sandbox-prod", "unit", "procps");
        try (McpSyncClient client = client(alice)) {
            McpSchema.CallToolResult result =
                    client.callTool(new McpSchema.CallToolRequest("host_service_status", prodRead));
            assertThat(result.isError()).as(text(result)).isNotEqualTo(Boolean.TRUE);
        }
        try (McpSyncClient client = client(nobody)) {
            McpSchema.CallToolResult result =
                    client.callTool(new McpSchema.CallToolRequest("host_service_status", prodRead));
            assertThat(result.isError()).isTrue();
            assertThat(text(result)).startsWith("Denied by policy:");
        }
        try (McpSyncClient client = client(viewer)) {
            McpSchema.CallToolResult result =
                    client.callTool(new McpSchema.CallToolRequest("host_service_status", prodRead));
            assertThat(result.isError()).as("viewer may not read prod").isTrue();
            assertThat(text(result)).startsWith("Denied by policy:").contains("viewer");
        }
        List<AuditEntry> audit = runtime.stores().audit().tail(200);
        assertThat(audit)
                .anyMatch(e -> "alice".equals(e.event().principal())
                        && "oauth".equals(e.event().auth())
                        && "host_service_status".equals(e.event().tool())
                        && e.event().decision() == io.opsmcp.guard.audit.AuditEvent.PolicyDecision.ALLOW);
        assertThat(audit)
                .anyMatch(e -> "nora".equals(e.event().principal())
                        && "oauth".equals(e.event().auth())
                        && e.event().decision() == io.opsmcp.guard.audit.AuditEvent.PolicyDecision.DENY);
    }

    @Test
    void badTokensAreRefusedWithAChallenge() throws Exception {
        idp.time.set(Instant.now().minusSeconds(7200));
        String expired = idp.token("alice", List.of("ops-oncall"));
        idp.time.set(Instant.now().plusSeconds(900));
        String early = idp.token("alice", List.of("ops-oncall"));
        idp.time.set(null);
        refused(expired, "the token has expired");
        refused(early, "the token is not valid yet");
        refused(
                idp.token(OAuthIdp.ISSUER_ID, "alice", "https://other-server.example/mcp", Map.of("scope", "ops-mcp")),
                "the token was not issued for this server (aud)");
        refused(
                idp.token("other-tenant", "alice", resource, Map.of("scope", "ops-mcp")),
                "the token was not issued by the trusted authorization server (iss)");
        refused(new PlainJWT(claims().build()).serialize(), "unsigned tokens (alg none) are not accepted");
        RSAKey published = idp.keys.current().toPublicJWK();
        SignedJWT confused = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.HS256)
                        .keyID(published.getKeyID())
                        .type(JOSEObjectType.JWT)
                        .build(),
                claims().build());
        confused.sign(new MACSigner(published.toRSAPublicKey().getEncoded()));
        refused(confused.serialize(), "the token's signature algorithm is not accepted");
        RSAKey attacker = new RSAKeyGenerator(2048).keyID("k-attacker").generate();
        SignedJWT unknownKid = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k-attacker").build(), claims().build());
        unknownKid.sign(new RSASSASigner(attacker));
        refused(unknownKid.serialize(), "the token's signing key is not one of the issuer's");
        // valid in every other way, only larger than oauth.max_token_bytes: refused before parsing
        refused(
                idp.token(OAuthIdp.ISSUER_ID, "alice", resource, Map.of("scope", "ops-mcp", "pad", "x".repeat(4000))),
                "the token is larger than this server accepts");
        HttpResponse<String> wrongKey = send("POST", "/mcp", "not-a-configured-key");
        assertThat(wrongKey.statusCode()).isEqualTo(401);
        assertThat(challenge(wrongKey)).startsWith("Bearer error=\"invalid_token\"");
    }

    @Test
    void aTokenWithoutTheRequiredScopeGets403InsufficientScope() throws Exception {
        HttpResponse<String> response = send(
                "POST",
                "/mcp",
                remember(idp.token(OAuthIdp.ISSUER_ID, "alice", resource, Map.of("scope", "openid profile"))));
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(challenge(response))
                .startsWith("Bearer error=\"insufficient_scope\"")
                .contains("scope=\"ops-mcp\"")
                .contains("resource_metadata=\"" + base + "/.well-known/oauth-protected-resource/mcp\"");
    }

    @Test
    void aTokenInTheQueryStringIsNeverUsed() throws Exception {
        String token = remember(idp.token("alice", List.of("ops-oncall")));
        HttpResponse<String> onlyInUrl = send("POST", "/mcp?access_token=" + token, null);
        assertThat(onlyInUrl.statusCode()).isEqualTo(400);
        assertThat(challenge(onlyInUrl)).startsWith("Bearer error=\"invalid_request\"");
        HttpResponse<String> both = send("POST", "/mcp?access_token=" + token, token);
        assertThat(both.statusCode()).isEqualTo(400);
        assertThat(both.body()).doesNotContain("serverInfo");
        assertThat(send("POST", "/mcp", token).statusCode()).isEqualTo(200);
    }

    @Test
    void aRotatedSigningKeyIsPickedUpWithoutARestart() throws Exception {
        String before = remember(idp.token("alice", List.of("ops-oncall")));
        assertThat(send("POST", "/mcp", before).statusCode()).isEqualTo(200);
        idp.keys.rotate();
        String after = remember(idp.token("alice", List.of("ops-oncall")));
        assertThat(send("POST", "/mcp", after).statusCode()).isEqualTo(200);
        refused(before, "the token's signing key is not one of the issuer's");
    }

    @Test
    void apiKeysStillAuthenticateMachines() throws Exception {
        HttpResponse<String> ok = send("POST", "/mcp", CI_KEY);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("serverInfo");
    }

    @Test
    void approversVoteWithTheirTokensUnderTheSameRules() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Approval pending = runtime.approvals()
                .create(new Approval(
                        null,
                        "host_service_restart",
                        "0".repeat(64),
                        "alice",
                        null,
                        "restart procps on sandbox-prod",
                        1,
                        List.of("sre-lead"),
                        false,
                        now,
                        now.plusSeconds(900),
                        Approval.Status.PENDING,
                        List.of(),
                        null,
                        "prod changes need approval"));
        String id = pending.id();
        String alice = remember(idp.token("alice", List.of("ops-leads")));
        String carol = remember(idp.token("carol", List.of("ops-oncall")));
        String bob = remember(idp.token("bob", List.of("ops-leads")));

        HttpResponse<String> anonymous = send("POST", "/approvals/" + id + "/approve", null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(challenge(anonymous)).contains("resource_metadata=");
        assertThat(send("GET", "/approvals", carol).body()).contains(id);
        assertThat(send("POST", "/approvals/" + id + "/approve", alice).statusCode())
                .as("the requester may not approve her own prod change, whatever her token says")
                .isEqualTo(409);
        assertThat(send("POST", "/approvals/" + id + "/approve", carol).statusCode())
                .as("sre is not an approver role here")
                .isEqualTo(409);
        HttpResponse<String> approved = send("POST", "/approvals/" + id + "/approve", bob);
        assertThat(approved.statusCode()).isEqualTo(200);
        assertThat(approved.body()).contains("\"status\":\"approved\"").contains("\"approvers\":[\"bob\"]");
        assertThat(runtime.stores().approvals().find(id).orElseThrow().status()).isEqualTo(Approval.Status.APPROVED);
    }
}
