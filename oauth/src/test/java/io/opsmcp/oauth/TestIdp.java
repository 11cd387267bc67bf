package io.opsmcp.oauth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.KeyProvider;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;

/**
 * A real OAuth 2.1 / OpenID Connect server on loopback ({@code mock-oauth2-server}: discovery documents, JWKS,
 * token endpoint) whose signing key can be rotated and whose clock can be moved.
 */
final class TestIdp implements AutoCloseable {

    static final String ISSUER_ID = "ops";
    static final String RESOURCE = "http://127.0.0.1:8080/mcp";

    final RotatingKeys keys = new RotatingKeys();
    /** The IdP's clock; {@code null} is now. */
    final AtomicReference<Instant> time = new AtomicReference<>();

    final MockOAuth2Server server;

    TestIdp() {
        server = new MockOAuth2Server(
                new OAuth2Config(false, null, null, false, new OAuth2TokenProvider(keys, time::get)));
        server.start();
    }

    String issuer() {
        return server.issuerUrl(ISSUER_ID).toString();
    }

    String jwksUri() {
        return server.jwksUrl(ISSUER_ID).toString();
    }

    /** An access token of {@code issuerId} for {@code audience}, signed with the IdP's current key. */
    String token(String issuerId, String subject, String audience, Map<String, Object> claims, long expirySeconds) {
        return server.issueToken(
                        issuerId,
                        "ops-client",
                        new DefaultOAuth2TokenCallback(
                                issuerId, subject, "JWT", List.of(audience), claims, expirySeconds))
                .serialize();
    }

    String token(String subject, Map<String, Object> claims) {
        return token(ISSUER_ID, subject, RESOURCE, claims, 3600);
    }

    /** How many times the JWK set was fetched since the last call (drains the IdP's request log). */
    int jwksFetches() {
        int n = 0;
        while (true) {
            try {
                var request = server.takeRequest(50, TimeUnit.MILLISECONDS);
                if (request.getPath() != null && request.getPath().endsWith("/jwks")) {
                    n++;
                }
            } catch (RuntimeException e) {
                return n;
            }
        }
    }

    @Override
    public void close() {
        server.shutdown();
    }

    /** One signing key at a time for every issuer id, published alone in the JWK set (kid = k1, k2, ...). */
    static final class RotatingKeys extends KeyProvider {
        private final List<RSAKey> history = new ArrayList<>();
        private volatile RSAKey current;

        RotatingKeys() {
            super(List.of(), "RS256");
            rotate();
        }

        /** A new key with a new kid; the old one is no longer published. */
        synchronized RSAKey rotate() {
            try {
                current = new RSAKeyGenerator(2048)
                        .keyID("k" + (history.size() + 1))
                        .generate();
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
            history.add(current);
            return current;
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
