package io.opsmcp.rego.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A policy that trusts a JWKS from data and reads claims from io.jwt.decode_verify, fed tokens made by
 * another implementation (nimbus' SignedJWT) and forged ones. The policy clock decides expiry.
 */
class JwtPolicyTest {
    private static final JsonMapper M = JsonMapper.builder().build();
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    private static final String POLICY = """
      package authz

      default allow := false

      allow if {
        [valid, _, claims] := io.jwt.decode_verify(input.token, {
          "cert": json.marshal(data.jwks),
          "iss": "https://idp.example",
          "aud": "ops-mcp",
        })
        valid
        claims.role == "admin"
      }
      """;

    private static RSAKey key;

    @BeforeAll
    static void keys() throws Exception {
        key = new RSAKeyGenerator(2048).keyID("k1").generate();
    }

    private static CompiledPolicy policy(Instant now) {
        JsonNode data = M.readTree("{\"jwks\": {\"keys\": [" + key.toPublicJWK().toJSONString() + "]}}");
        return Rego.builder().clock(Clock.fixed(now, ZoneOffset.UTC)).build(Map.of("authz.rego", POLICY), data);
    }

    private static boolean allowed(Instant now, String token) {
        JsonNode input = M.createObjectNode().put("token", token);
        return policy(now).evalRule("data.authz.allow", input).orElseThrow().booleanValue();
    }

    private static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder()
                .issuer("https://idp.example")
                .audience("ops-mcp")
                .claim("role", "admin")
                .expirationTime(Date.from(NOW.plusSeconds(300)))
                .notBeforeTime(Date.from(NOW.minusSeconds(300)));
    }

    private static String rs256(JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    @Test
    void acceptsAValidTokenOnlyWhileItIsValidAtThePolicyClock() throws Exception {
        String token = rs256(claims().build());
        assertThat(allowed(NOW, token)).isTrue();
        assertThat(allowed(NOW.plusSeconds(301), token)).isFalse();
        assertThat(allowed(NOW.minusSeconds(301), token)).isFalse();
    }

    @Test
    void rejectsWrongIssuerAudienceOrClaims() throws Exception {
        assertThat(allowed(NOW, rs256(claims().issuer("https://evil.example").build())))
                .isFalse();
        assertThat(allowed(NOW, rs256(claims().audience("other").build()))).isFalse();
        assertThat(allowed(NOW, rs256(claims().claim("role", "viewer").build())))
                .isFalse();
    }

    @Test
    void rejectsForgedTokens() throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String payload = b64.encodeToString(claims().build().toString().getBytes(StandardCharsets.UTF_8));
        // alg none, no signature.
        String none = b64.encodeToString("{\"alg\":\"none\",\"kid\":\"k1\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + payload + ".";
        assertThat(allowed(NOW, none)).isFalse();
        // HS256 keyed with the public JWKS the verifier trusts.
        // Exactly the text the policy passes as "cert" (json.marshal of data.jwks).
        String publicJwks = io.opsmcp.rego.value.Values.toJsonString(io.opsmcp.rego.value.Values.parseJson(
                "{\"keys\": [" + key.toPublicJWK().toJSONString() + "]}"));
        SignedJWT hs = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").build(), claims().build());
        hs.sign(new MACSigner(publicJwks.getBytes(StandardCharsets.UTF_8)));
        assertThat(allowed(NOW, hs.serialize())).isFalse();
        // A valid token with a swapped payload.
        String valid = rs256(claims().claim("role", "viewer").build());
        String[] parts = valid.split("\\.");
        assertThat(allowed(NOW, parts[0] + "." + payload + "." + parts[2])).isFalse();
    }
}
