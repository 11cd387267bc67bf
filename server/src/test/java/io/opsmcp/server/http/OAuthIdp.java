package io.opsmcp.server.http;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.KeyProvider;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;

/**
 * A real OAuth 2.1 / OpenID Connect server on loopback (mock-oauth2-server: discovery, JWKS, token endpoint) with a
 * rotatable signing key and a movable clock, issuing tokens for one resource.
 */
final class OAuthIdp implements AutoCloseable {

    static final String ISSUER_ID = "corp";

    final AtomicReference<Instant> time = new AtomicReference<>();
    final Keys keys = new Keys();
    final MockOAuth2Server server;
    private final String resource;

    OAuthIdp(String resource) {
        this.resource = resource;
        server = new MockOAuth2Server(
                new OAuth2Config(false, null, null, false, new OAuth2TokenProvider(keys, time::get)));
        server.start();
    }

    String issuer() {
        return server.issuerUrl(ISSUER_ID).toString();
    }

    String token(String issuerId, String subject, String audience, Map<String, Object> claims) {
        return server.issueToken(
                        issuerId,
                        "ops-client",
                        new DefaultOAuth2TokenCallback(issuerId, subject, "JWT", List.of(audience), claims, 3600))
                .serialize();
    }

    /** A token for this server's resource with the {@code ops-mcp} scope and {@code groups}. */
    String token(String subject, List<String> groups) {
        return token(ISSUER_ID, subject, resource, Map.of("scope", "ops-mcp", "groups", groups));
    }

    @Override
    public void close() {
        server.shutdown();
    }

    /** One current signing key (kid k1, k2, …) for every issuer id; a rotation retires the previous one. */
    static final class Keys extends KeyProvider {
        private final AtomicInteger generation = new AtomicInteger();
        private volatile RSAKey current;

        Keys() {
            super(List.of(), "RS256");
            rotate();
        }

        void rotate() {
            try {
                current = new RSAKeyGenerator(2048)
                        .keyID("k" + generation.incrementAndGet())
                        .generate();
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }

        RSAKey current() {
            return current;
        }

        @Override
        public JWK signingKey(String keyId) {
            return current;
        }
    }
}
