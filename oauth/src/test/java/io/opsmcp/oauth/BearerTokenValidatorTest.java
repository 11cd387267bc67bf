package io.opsmcp.oauth;

import static org.assertj.core.api.Assertions.assertThat;

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
import com.sun.net.httpserver.HttpServer;
import io.opsmcp.core.tool.Principal;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Bearer JWT validation against a real OAuth 2.1 / OIDC server (mock-oauth2-server on loopback): good tokens, and
 * every kind of bad one an attacker or a misconfigured client sends.
 */
class BearerTokenValidatorTest {

    private TestIdp idp;
    private final List<BearerTokenValidator> validators = new ArrayList<>();
    private final List<String> tokensSeen = new ArrayList<>();
    private final List<String> descriptions = new ArrayList<>();

    @BeforeEach
    void start() {
        idp = new TestIdp();
    }

    @AfterEach
    void stop() {
        validators.forEach(BearerTokenValidator::close);
        idp.close();
        // No refusal ever echoes the token or a part of it.
        for (String token : tokensSeen) {
            for (String part : token.split("\\.")) {
                if (part.length() >= 8) {
                    assertThat(descriptions).noneMatch(d -> d.contains(part));
                }
            }
        }
    }

    private BearerTokenValidator validator(String extraYaml) {
        String yaml = "oauth:\n  issuer: " + idp.issuer() + "\n  resource: " + TestIdp.RESOURCE + "\n"
                + (extraYaml.contains("  jwks:") ? "" : "  jwks: {refresh_min_interval: 1s, timeout: 10s}\n")
                + extraYaml;
        var validator = new BearerTokenValidator(
                OAuthSettings.fromConfig(YAMLMapper.builder().build().readTree(yaml))
                        .orElseThrow());
        validators.add(validator);
        return validator;
    }

    private TokenResult check(BearerTokenValidator validator, String token) {
        tokensSeen.add(token);
        TokenResult result = validator.validate(token);
        if (result instanceof TokenResult.Rejected r) {
            descriptions.add(r.description());
        }
        return result;
    }

    private Principal accepted(BearerTokenValidator validator, String token) {
        TokenResult result = check(validator, token);
        assertThat(result).isInstanceOf(TokenResult.Accepted.class);
        return ((TokenResult.Accepted) result).principal();
    }

    private void refused(BearerTokenValidator validator, String token, BearerError error, String description) {
        TokenResult result = check(validator, token);
        assertThat(result).isInstanceOf(TokenResult.Rejected.class);
        TokenResult.Rejected rejected = (TokenResult.Rejected) result;
        assertThat(rejected.error()).isEqualTo(error);
        assertThat(rejected.description()).contains(description);
    }

    private JWTClaimsSet.Builder goodClaims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(idp.issuer())
                .subject("mallory")
                .audience(TestIdp.RESOURCE)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(600)));
    }

    private static String sign(RSAKey key, JWSHeader header, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    @Test
    void aTokenFromTheTokenEndpointBecomesThePrincipalWithMappedRolesAndScopes() throws Exception {
        BearerTokenValidator validator = validator("  required_scopes: [ops-mcp]\n"
                + "  roles_claim: realm_access.roles\n"
                + "  group_roles: {ops-oncall: [sre], ops-leads: sre-lead}\n");
        idp.server.enqueueCallback(new DefaultOAuth2TokenCallback(
                TestIdp.ISSUER_ID,
                "alice",
                "JWT",
                List.of(TestIdp.RESOURCE),
                Map.of(
                        "scope", "openid ops-mcp",
                        "groups", List.of("ops-oncall", "staff"),
                        "realm_access", Map.of("roles", List.of("viewer"))),
                3600));
        // client_credentials over HTTP, as a machine client would get it
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(idp.server
                                        .tokenEndpointUrl(TestIdp.ISSUER_ID)
                                        .toString()))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"
                                        + "&client_id=ops-client&client_secret=s&scope=ops-mcp"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        String token = JsonMapper.builder()
                .build()
                .readTree(response.body())
                .path("access_token")
                .asString();
        TokenResult result = check(validator, token);
        assertThat(result).isInstanceOf(TokenResult.Accepted.class);
        TokenResult.Accepted accepted = (TokenResult.Accepted) result;
        // client_credentials: the mock IdP makes the client the subject
        assertThat(accepted.principal())
                .isEqualTo(new Principal("ops-client", java.util.Set.of("sre", "viewer"), "oauth"));
        assertThat(accepted.scopes()).contains("ops-mcp");
    }

    @Test
    void withoutJwksUriTheKeysAreFoundThroughTheIssuersMetadata() {
        BearerTokenValidator validator = validator("");
        assertThat(accepted(validator, idp.token("alice", Map.of())).id()).isEqualTo("alice");
        BearerTokenValidator explicit = validator("  jwks_uri: " + idp.jwksUri() + "\n");
        assertThat(accepted(explicit, idp.token("bob", Map.of())).id()).isEqualTo("bob");
        assertThat(accepted(explicit, idp.token("bob", Map.of())).roles())
                .as("no roles claim, no group mapping: no roles")
                .isEmpty();
    }

    @Test
    void expiredAndNotYetValidTokensAreRefusedOutsideTheClockSkew() {
        BearerTokenValidator validator = validator("  clock_skew: 60s\n");
        idp.time.set(Instant.now().minusSeconds(7200));
        String expired = idp.token("alice", Map.of());
        idp.time.set(Instant.now().minusSeconds(3630));
        String expiredWithinSkew = idp.token("alice", Map.of());
        idp.time.set(Instant.now().plusSeconds(600));
        String early = idp.token("alice", Map.of());
        idp.time.set(Instant.now().plusSeconds(20));
        String earlyWithinSkew = idp.token("alice", Map.of());
        idp.time.set(null);
        refused(validator, expired, BearerError.INVALID_TOKEN, "the token has expired");
        refused(validator, early, BearerError.INVALID_TOKEN, "the token is not valid yet");
        accepted(validator, expiredWithinSkew);
        accepted(validator, earlyWithinSkew);
    }

    @Test
    void aTokenForAnotherAudienceOrFromAnotherIssuerIsRefused() {
        BearerTokenValidator validator = validator("");
        refused(
                validator,
                idp.token(TestIdp.ISSUER_ID, "alice", "https://other.example.com/mcp", Map.of(), 3600),
                BearerError.INVALID_TOKEN,
                "not issued for this server (aud)");
        // same IdP, same signing key, another issuer (tenant): only the configured issuer counts
        refused(
                validator,
                idp.token("other-tenant", "alice", TestIdp.RESOURCE, Map.of(), 3600),
                BearerError.INVALID_TOKEN,
                "not issued by the trusted authorization server (iss)");
    }

    @Test
    void unsignedAndAlgorithmConfusionTokensAreRefused() throws Exception {
        BearerTokenValidator validator = validator("");
        accepted(validator, idp.token("alice", Map.of()));
        String none = new PlainJWT(goodClaims().build()).serialize();
        refused(validator, none, BearerError.INVALID_TOKEN, "unsigned tokens (alg none) are not accepted");
        // HS256 with the IdP's public key as the HMAC secret, naming the IdP's kid: a verifier that let the token
        // choose the algorithm would check the MAC with the public key and accept it
        RSAKey published = idp.keys.current().toPublicJWK();
        SignedJWT confused = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.HS256)
                        .keyID(published.getKeyID())
                        .type(JOSEObjectType.JWT)
                        .build(),
                goodClaims().build());
        confused.sign(new MACSigner(published.toRSAPublicKey().getEncoded()));
        refused(
                validator,
                confused.serialize(),
                BearerError.INVALID_TOKEN,
                "the token's signature algorithm is not accepted");
        BearerTokenValidator rsOnly = validator("  algorithms: [ES256]\n");
        refused(
                rsOnly,
                idp.token("alice", Map.of()),
                BearerError.INVALID_TOKEN,
                "the token's signature algorithm is not accepted");
    }

    @Test
    void tokensSignedWithKeysTheIssuerDoesNotPublishAreRefused() throws Exception {
        BearerTokenValidator validator = validator("");
        RSAKey attacker = new RSAKeyGenerator(2048).keyID("attacker").generate();
        refused(
                validator,
                sign(
                        attacker,
                        new JWSHeader.Builder(JWSAlgorithm.RS256)
                                .keyID("attacker")
                                .build(),
                        goodClaims().build()),
                BearerError.INVALID_TOKEN,
                "the token's signing key is not one of the issuer's");
        // the attacker's key embedded in the header (jwk) is never used
        refused(
                validator,
                sign(
                        attacker,
                        new JWSHeader.Builder(JWSAlgorithm.RS256)
                                .keyID("attacker")
                                .jwk(attacker.toPublicJWK())
                                .build(),
                        goodClaims().build()),
                BearerError.INVALID_TOKEN,
                "the token's signing key is not one of the issuer's");
        // the IdP's kid, the attacker's key
        refused(
                validator,
                sign(
                        attacker,
                        new JWSHeader.Builder(JWSAlgorithm.RS256)
                                .keyID(idp.keys.current().getKeyID())
                                .build(),
                        goodClaims().build()),
                BearerError.INVALID_TOKEN,
                "the token signature does not verify");
        // a real token with its payload swapped
        String[] real = idp.token("viewer", Map.of()).split("\\.");
        String[] forged = sign(
                        attacker,
                        new JWSHeader.Builder(JWSAlgorithm.RS256).build(),
                        goodClaims().build())
                .split("\\.");
        refused(
                validator,
                real[0] + "." + forged[1] + "." + real[2],
                BearerError.INVALID_TOKEN,
                "the token signature does not verify");
    }

    @Test
    void keyRotationIsPickedUpAtOnceAndTheRetiredKeyStopsWorking() {
        BearerTokenValidator validator = validator("");
        String before = idp.token("alice", Map.of());
        accepted(validator, before);
        idp.keys.rotate();
        String after = idp.token("alice", Map.of());
        assertThat(after).isNotEqualTo(before);
        // the cached key set does not have the new kid: the validator fetches it again
        accepted(validator, after);
        refused(validator, before, BearerError.INVALID_TOKEN, "the token's signing key is not one of the issuer's");
    }

    @Test
    void aFloodOfMadeUpKeyIdsDoesNotBecomeAFloodOfKeySetFetches() throws Exception {
        BearerTokenValidator validator =
                validator("  jwks: {refresh_min_interval: 10m, cache_ttl: 1h, timeout: 10s}\n");
        accepted(validator, idp.token("alice", Map.of()));
        idp.jwksFetches();
        RSAKey attacker = new RSAKeyGenerator(2048).generate();
        for (int i = 0; i < 40; i++) {
            String kid = UUID.randomUUID().toString();
            refused(
                    validator,
                    sign(
                            attacker,
                            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).build(),
                            goodClaims().build()),
                    BearerError.INVALID_TOKEN,
                    "the token's signing key is not one of the issuer's");
        }
        assertThat(idp.jwksFetches()).as("key set fetches for 40 unknown kids").isLessThanOrEqualTo(2);
        accepted(validator, idp.token("alice", Map.of()));
    }

    @Test
    void requiredScopesAreEnforcedFromScopeOrScp() {
        BearerTokenValidator validator = validator("  required_scopes: [ops-mcp]\n");
        refused(
                validator,
                idp.token("alice", Map.of("scope", "openid profile")),
                BearerError.INSUFFICIENT_SCOPE,
                "lacks a scope this server requires");
        refused(validator, idp.token("alice", Map.of()), BearerError.INSUFFICIENT_SCOPE, "lacks a scope");
        accepted(validator, idp.token("alice", Map.of("scope", "openid ops-mcp")));
        accepted(validator, idp.token("alice", Map.of("scp", List.of("ops-mcp"))));
    }

    @Test
    void thePrincipalClaimIsRequiredAndMustBeAUsableId() {
        BearerTokenValidator validator = validator("  principal_claim: preferred_username\n");
        refused(
                validator,
                idp.token("alice", Map.of()),
                BearerError.INVALID_TOKEN,
                "lacks a required claim (preferred_username)");
        assertThat(accepted(validator, idp.token("x", Map.of("preferred_username", "alice@example.com")))
                        .id())
                .isEqualTo("alice@example.com");
        refused(
                validator,
                idp.token("x", Map.of("preferred_username", "alice\nFORGED audit line")),
                BearerError.INVALID_TOKEN,
                "principal claim is not a usable identity");
        refused(
                validator,
                idp.token("x", Map.of("preferred_username", List.of("alice"))),
                BearerError.INVALID_TOKEN,
                "principal claim is not a usable identity");
    }

    @Test
    void theTokenTypeCanBePinnedToRfc9068AccessTokens() {
        BearerTokenValidator strict = validator("  require_at_jwt: true\n");
        refused(
                strict,
                idp.token("alice", Map.of()),
                BearerError.INVALID_TOKEN,
                "the token type (typ) is not accepted");
        String atJwt = idp.server
                .issueToken(
                        TestIdp.ISSUER_ID,
                        "ops-client",
                        new DefaultOAuth2TokenCallback(
                                TestIdp.ISSUER_ID, "alice", "at+jwt", List.of(TestIdp.RESOURCE), Map.of(), 3600))
                .serialize();
        accepted(strict, atJwt);
        accepted(validator(""), atJwt);
        String idTokenTyped = idp.server
                .issueToken(
                        TestIdp.ISSUER_ID,
                        "ops-client",
                        new DefaultOAuth2TokenCallback(
                                TestIdp.ISSUER_ID, "alice", "logout+jwt", List.of(TestIdp.RESOURCE), Map.of(), 3600))
                .serialize();
        refused(validator(""), idTokenTyped, BearerError.INVALID_TOKEN, "the token type (typ) is not accepted");
    }

    @Test
    void oversizedTokensAreRefusedBeforeParsing() {
        BearerTokenValidator validator = validator("  max_token_bytes: 1024\n");
        // validly signed, only too big
        refused(
                validator,
                idp.token("alice", Map.of("padding", "x".repeat(2000))),
                BearerError.INVALID_TOKEN,
                "the token is larger than this server accepts");
        // not even a JWT: refused for its size, so the parser never saw it
        refused(
                validator,
                "a".repeat(600) + "." + "b".repeat(600) + ".c",
                BearerError.INVALID_TOKEN,
                "the token is larger than this server accepts");
        refused(validator, "a.b.c", BearerError.INVALID_TOKEN, "the token is not a well-formed JWT");
    }

    @Test
    void unreachableOversizedOrForeignKeySourcesFailClosed() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        BearerTokenValidator unreachable = validator("  jwks_uri: http://127.0.0.1:" + closed + "/jwks\n");
        refused(
                unreachable,
                idp.token("alice", Map.of()),
                BearerError.KEYS_UNAVAILABLE,
                "signing keys are unavailable");

        HttpServer fake = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        var handlers = java.util.concurrent.Executors.newFixedThreadPool(4);
        fake.setExecutor(handlers);
        String big = "{\"keys\":[" + ",{}".repeat(2000).substring(1) + "]}";
        fake.createContext("/big", exchange -> {
            byte[] body = big.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        // a redirect to the real key set: not followed, the configured URL is the trust anchor
        fake.createContext("/moved", exchange -> {
            exchange.getResponseHeaders().add("Location", idp.jwksUri());
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        // a key server that accepts the connection and never answers
        fake.createContext("/stalled", exchange -> {
            try {
                Thread.sleep(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        // metadata that claims to be another issuer: RFC 8414 §3.3 says it must not be used
        fake.createContext("/", exchange -> {
            byte[] body = ("{\"issuer\":\"https://evil.example\",\"jwks_uri\":\"" + idp.jwksUri() + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        fake.start();
        try {
            String base = "http://127.0.0.1:" + fake.getAddress().getPort();
            BearerTokenValidator oversized = validator("  jwks_uri: " + base
                    + "/big\n  jwks: {max_bytes: 1024, refresh_min_interval: 1s, timeout: 10s}\n");
            refused(
                    oversized,
                    idp.token("alice", Map.of()),
                    BearerError.KEYS_UNAVAILABLE,
                    "signing keys are unavailable");
            BearerTokenValidator redirected = validator("  jwks_uri: " + base + "/moved\n");
            refused(
                    redirected,
                    idp.token("alice", Map.of()),
                    BearerError.KEYS_UNAVAILABLE,
                    "signing keys are unavailable");
            BearerTokenValidator stalled =
                    validator("  jwks_uri: " + base + "/stalled\n  jwks: {refresh_min_interval: 1s, timeout: 1s}\n");
            refused(
                    stalled,
                    idp.token("alice", Map.of()),
                    BearerError.KEYS_UNAVAILABLE,
                    "signing keys are unavailable");
            var foreign = new BearerTokenValidator(OAuthSettings.fromConfig(YAMLMapper.builder()
                            .build()
                            .readTree("oauth: {issuer: '" + base + "/tenant', resource: '" + TestIdp.RESOURCE + "'}"))
                    .orElseThrow());
            validators.add(foreign);
            refused(
                    foreign,
                    idp.token("alice", Map.of()),
                    BearerError.KEYS_UNAVAILABLE,
                    "signing keys are unavailable");
        } finally {
            fake.stop(0);
            handlers.shutdownNow();
        }
    }

    @Test
    void metadataLocationsFollowTheMcpOrder() {
        assertThat(IssuerKeySource.metadataUrls("https://idp.example.com/tenant1"))
                .extracting(URI::toString)
                .containsExactly(
                        "https://idp.example.com/.well-known/oauth-authorization-server/tenant1",
                        "https://idp.example.com/.well-known/openid-configuration/tenant1",
                        "https://idp.example.com/tenant1/.well-known/openid-configuration");
        assertThat(IssuerKeySource.metadataUrls("https://idp.example.com"))
                .extracting(URI::toString)
                .containsExactly(
                        "https://idp.example.com/.well-known/oauth-authorization-server",
                        "https://idp.example.com/.well-known/openid-configuration");
    }

    @Test
    void onlyJwsCompactValuesLookLikeTokens() {
        assertThat(BearerTokenValidator.looksLikeJwt(idp.token("alice", Map.of())))
                .isTrue();
        assertThat(BearerTokenValidator.looksLikeJwt("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."))
                .isTrue();
        assertThat(BearerTokenValidator.looksLikeJwt("test-key-of-alice-0123456789"))
                .isFalse();
        assertThat(BearerTokenValidator.looksLikeJwt("0f3a9c" + "e".repeat(58))).isFalse();
        assertThat(BearerTokenValidator.looksLikeJwt("a.b.c.d.e")).isFalse();
    }
}
