package io.opsmcp.rego.builtins;

import static io.opsmcp.rego.builtins.BuiltinTestSupport.call;
import static io.opsmcp.rego.builtins.BuiltinTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.opsmcp.rego.value.ArrayValue;
import io.opsmcp.rego.value.BooleanValue;
import io.opsmcp.rego.value.StringValue;
import io.opsmcp.rego.value.Value;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * io.jwt.* from the attacker's side: unsigned tokens, algorithm confusion, kid games, expired or
 * not-yet-valid tokens judged at the evaluation's clock, oversized and deeply nested input. All keys and
 * tokens are generated here.
 */
class JwtBuiltinsTest {
    private static final long NOW_NS = 1_700_000_000L * 1_000_000_000L;
    private static final long NOW_S = NOW_NS / 1_000_000_000L;

    private static RSAKey rsa;
    private static RSAKey otherRsa;
    private static ECKey ec;
    private static OctetKeyPair ed;

    @BeforeAll
    static void keys() throws Exception {
        rsa = new RSAKeyGenerator(2048).keyID("a").generate();
        otherRsa = new RSAKeyGenerator(2048).keyID("b").generate();
        ec = new ECKeyGenerator(Curve.P_256).generate();
        // Ed25519 from the JDK (nimbus' generator needs Tink).
        var kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] spki = kp.getPublic().getEncoded();
        byte[] pkcs8 = kp.getPrivate().getEncoded();
        byte[] x = java.util.Arrays.copyOfRange(spki, spki.length - 32, spki.length);
        byte[] d = java.util.Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length);
        ed = new OctetKeyPair.Builder(Curve.Ed25519, com.nimbusds.jose.util.Base64URL.encode(x))
                .d(com.nimbusds.jose.util.Base64URL.encode(d))
                .build();
    }

    private static BuiltinTestSupport.Ctx at(long nowNs) {
        return new BuiltinTestSupport.Ctx(nowNs);
    }

    private static Value s(String v) {
        return StringValue.of(v);
    }

    private static String sign(String header, String payload, String jwk) {
        return ((StringValue) call(at(NOW_NS), "io.jwt.encode_sign", List.of(json(header), json(payload), json(jwk))))
                .value();
    }

    private static String pem(java.security.PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(key.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    private static String b64url(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static Value decodeVerify(long nowNs, String token, String constraintsJson) {
        return call(at(nowNs), "io.jwt.decode_verify", List.of(s(token), json(constraintsJson)));
    }

    private static boolean valid(Value decodeVerifyResult) {
        return ((BooleanValue) ((ArrayValue) decodeVerifyResult).get(0)).value();
    }

    private static String constraintCert(String pemOrJwk) {
        return "{\"cert\": " + io.opsmcp.rego.value.Values.quote(pemOrJwk) + "}";
    }

    @Test
    void signedTokensRoundTripForEveryKeyFamily() throws Exception {
        String rs = sign("{\"alg\":\"RS256\"}", "{\"sub\":\"alice\"}", rsa.toJSONString());
        assertThat(call(at(NOW_NS), "io.jwt.verify_rs256", List.of(s(rs), s(pem(rsa.toRSAPublicKey())))))
                .isEqualTo(BooleanValue.TRUE);
        assertThat(call(at(NOW_NS), "io.jwt.verify_rs256", List.of(s(rs), s(pem(otherRsa.toRSAPublicKey())))))
                .isEqualTo(BooleanValue.FALSE);

        String ps = sign("{\"alg\":\"PS384\"}", "{}", rsa.toJSONString());
        assertThat(call(
                        at(NOW_NS),
                        "io.jwt.verify_ps384",
                        List.of(s(ps), s(rsa.toPublicJWK().toJSONString()))))
                .isEqualTo(BooleanValue.TRUE);

        String es = sign("{\"alg\":\"ES256\"}", "{}", ec.toJSONString());
        assertThat(call(at(NOW_NS), "io.jwt.verify_es256", List.of(s(es), s(pem(ec.toECPublicKey())))))
                .isEqualTo(BooleanValue.TRUE);

        String eddsa = sign("{\"alg\":\"EdDSA\"}", "{}", ed.toJSONString());
        assertThat(call(
                        at(NOW_NS),
                        "io.jwt.verify_eddsa",
                        List.of(s(eddsa), s(ed.toPublicJWK().toJSONString()))))
                .isEqualTo(BooleanValue.TRUE);
        String tampered = eddsa.substring(0, eddsa.indexOf('.') + 1)
                + b64url("{\"admin\":true}")
                + eddsa.substring(eddsa.lastIndexOf('.'));
        assertThat(call(
                        at(NOW_NS),
                        "io.jwt.verify_eddsa",
                        List.of(s(tampered), s(ed.toPublicJWK().toJSONString()))))
                .isEqualTo(BooleanValue.FALSE);
    }

    @Test
    void pssSignaturesWithGosDefaultMaximumSaltVerify() throws Exception {
        // Go's rsa.SignPSS without options uses the longest salt; OPA accepts such tokens.
        String signingInput = b64url("{\"alg\":\"PS256\"}") + "." + b64url("{\"sub\":\"go\"}");
        java.security.Signature pss = java.security.Signature.getInstance("RSASSA-PSS");
        int salt = (rsa.toRSAPublicKey().getModulus().bitLength() - 1 + 7) / 8 - 32 - 2;
        pss.setParameter(new java.security.spec.PSSParameterSpec(
                "SHA-256", "MGF1", java.security.spec.MGF1ParameterSpec.SHA256, salt, 1));
        pss.initSign(rsa.toRSAPrivateKey());
        pss.update(signingInput.getBytes(StandardCharsets.UTF_8));
        String token =
                signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(pss.sign());
        String pub = pem(rsa.toRSAPublicKey());
        assertThat(call(at(NOW_NS), "io.jwt.verify_ps256", List.of(s(token), s(pub))))
                .isEqualTo(BooleanValue.TRUE);
        String tampered = b64url("{\"alg\":\"PS256\"}") + "." + b64url("{\"sub\":\"og\"}")
                + token.substring(token.lastIndexOf('.'));
        assertThat(call(at(NOW_NS), "io.jwt.verify_ps256", List.of(s(tampered), s(pub))))
                .isEqualTo(BooleanValue.FALSE);
    }

    @Test
    void es256WithAKeyOnAnotherCurveVerifiesAsInGo() throws Exception {
        // OPA's verify_es256 hashes with SHA-256 and verifies r || s on whatever curve the key has.
        ECKey p384 = new ECKeyGenerator(Curve.P_384).generate();
        String signingInput = b64url("{\"alg\":\"ES256\"}") + "." + b64url("{}");
        java.security.Signature ecdsa = java.security.Signature.getInstance("SHA256withECDSA");
        ecdsa.initSign(p384.toECPrivateKey());
        ecdsa.update(signingInput.getBytes(StandardCharsets.UTF_8));
        byte[] jose = com.nimbusds.jose.crypto.impl.ECDSA.transcodeSignatureToConcat(ecdsa.sign(), 96);
        String token =
                signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(jose);
        assertThat(call(at(NOW_NS), "io.jwt.verify_es256", List.of(s(token), s(pem(p384.toECPublicKey())))))
                .isEqualTo(BooleanValue.TRUE);
        assertThat(call(at(NOW_NS), "io.jwt.verify_es256", List.of(s(token), s(pem(ec.toECPublicKey())))))
                .isEqualTo(BooleanValue.FALSE);
    }

    @Test
    void unsignedAlgNoneTokensNeverVerify() throws Exception {
        String none = b64url("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64url("{\"sub\":\"root\"}") + ".";
        assertThat(valid(decodeVerify(NOW_NS, none, "{\"secret\": \"s3cret\"}")))
                .isFalse();
        assertThat(valid(decodeVerify(NOW_NS, none, constraintCert(pem(rsa.toRSAPublicKey())))))
                .isFalse();
        assertThat(valid(decodeVerify(NOW_NS, none, "{\"secret\": \"s3cret\", \"alg\": \"none\"}")))
                .isFalse();
        assertThat(call(at(NOW_NS), "io.jwt.verify_hs256", List.of(s(none), s("s3cret"))))
                .isEqualTo(BooleanValue.FALSE);
        assertThat(call(at(NOW_NS), "io.jwt.verify_rs256", List.of(s(none), s(pem(rsa.toRSAPublicKey())))))
                .isEqualTo(BooleanValue.FALSE);
        // Nor can they be produced.
        assertThatThrownBy(() -> sign("{\"alg\":\"none\"}", "{}", rsa.toJSONString()))
                .hasMessage("unknown JWS algorithm: none");
    }

    @Test
    void rsaPublicKeyUsedAsHmacSecretIsRejected() throws Exception {
        // The classic confusion: sign HS256 with the RSA public key text the verifier trusts.
        String publicPem = pem(rsa.toRSAPublicKey());
        String signingInput = b64url("{\"alg\":\"HS256\"}") + "." + b64url("{\"sub\":\"mallory\"}");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(publicPem.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String forged = signingInput + "."
                + Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.UTF_8)));

        assertThat(valid(decodeVerify(NOW_NS, forged, constraintCert(publicPem))))
                .isFalse();
        assertThat(valid(decodeVerify(
                        NOW_NS, forged, constraintCert(rsa.toPublicJWK().toJSONString()))))
                .isFalse();
        assertThat(call(at(NOW_NS), "io.jwt.verify_rs256", List.of(s(forged), s(publicPem))))
                .isEqualTo(BooleanValue.FALSE);
        // An HS token is also not accepted by an RS constraint on alg.
        assertThat(valid(decodeVerify(
                        NOW_NS,
                        forged,
                        "{\"secret\": " + io.opsmcp.rego.value.Values.quote(publicPem) + ", \"alg\": \"RS256\"}")))
                .isFalse();
    }

    @Test
    void kidSelectsTheOnlyKeyTried() throws Exception {
        String jwks = "{\"keys\": [" + rsa.toPublicJWK().toJSONString() + ","
                + otherRsa.toPublicJWK().toJSONString() + "]}";
        // Signed by key "b" but claims kid "a": only "a" is tried.
        String wrongKid = sign("{\"alg\":\"RS256\",\"kid\":\"a\"}", "{}", otherRsa.toJSONString());
        assertThat(valid(decodeVerify(NOW_NS, wrongKid, constraintCert(jwks)))).isFalse();
        assertThat(call(at(NOW_NS), "io.jwt.verify_rs256", List.of(s(wrongKid), s(jwks))))
                .isEqualTo(BooleanValue.FALSE);

        String rightKid = sign("{\"alg\":\"RS256\",\"kid\":\"b\"}", "{}", otherRsa.toJSONString());
        assertThat(valid(decodeVerify(NOW_NS, rightKid, constraintCert(jwks)))).isTrue();
        // An unknown kid falls back to every key of the set (OPA's behaviour).
        String unknownKid = sign("{\"alg\":\"RS256\",\"kid\":\"zzz\"}", "{}", otherRsa.toJSONString());
        assertThat(valid(decodeVerify(NOW_NS, unknownKid, constraintCert(jwks))))
                .isTrue();
        // A JWK pinned to another algorithm is skipped.
        String pinned = "{\"keys\": ["
                + new RSAKey.Builder(otherRsa.toRSAPublicKey())
                        .algorithm(com.nimbusds.jose.JWSAlgorithm.PS256)
                        .build()
                        .toJSONString()
                + "]}";
        String rs = sign("{\"alg\":\"RS256\"}", "{}", otherRsa.toJSONString());
        assertThat(valid(decodeVerify(NOW_NS, rs, constraintCert(pinned)))).isFalse();
    }

    @Test
    void expAndNbfAreJudgedAtTheEvaluationTime() throws Exception {
        String jwk = rsa.toJSONString();
        String cert = constraintCert(pem(rsa.toRSAPublicKey()));
        String fresh =
                sign("{\"alg\":\"RS256\"}", "{\"exp\": " + (NOW_S + 60) + ", \"nbf\": " + (NOW_S - 60) + "}", jwk);
        assertThat(valid(decodeVerify(NOW_NS, fresh, cert))).isTrue();
        // The same token a minute later (the evaluation's clock, not the machine's).
        assertThat(valid(decodeVerify(NOW_NS + 61_000_000_000L, fresh, cert))).isFalse();
        // ... and two minutes earlier, before nbf.
        assertThat(valid(decodeVerify(NOW_NS - 120_000_000_000L, fresh, cert))).isFalse();
        // exp is exclusive.
        assertThat(valid(decodeVerify((NOW_S + 60) * 1_000_000_000L, fresh, cert)))
                .isFalse();
        // An explicit time constraint overrides the clock.
        String withTime = "{\"cert\": " + io.opsmcp.rego.value.Values.quote(pem(rsa.toRSAPublicKey())) + ", \"time\": "
                + (NOW_NS + 3_600_000_000_000L) + "}";
        assertThat(valid(decodeVerify(NOW_NS, fresh, withTime))).isFalse();

        String badExp = sign("{\"alg\":\"RS256\"}", "{\"exp\": \"tomorrow\"}", jwk);
        assertThatThrownBy(() -> decodeVerify(NOW_NS, badExp, cert)).hasMessage("exp value must be a number");
    }

    @Test
    void issuerAudienceAndConstraintShapes() throws Exception {
        String token = sign(
                "{\"alg\":\"HS256\"}",
                "{\"iss\":\"idp\",\"aud\":[\"ops\",\"billing\"]}",
                "{\"kty\":\"oct\",\"k\":\"" + b64url("key") + "\"}");
        assertThat(valid(decodeVerify(NOW_NS, token, "{\"secret\":\"key\",\"iss\":\"idp\",\"aud\":\"ops\"}")))
                .isTrue();
        assertThat(valid(decodeVerify(NOW_NS, token, "{\"secret\":\"key\",\"iss\":\"other\",\"aud\":\"ops\"}")))
                .isFalse();
        // A token addressed to an audience is not valid for a verifier that names none.
        assertThat(valid(decodeVerify(NOW_NS, token, "{\"secret\":\"key\"}"))).isFalse();
        assertThatThrownBy(() -> decodeVerify(NOW_NS, token, "{\"iss\":\"idp\"}"))
                .hasMessage("no key constraint");
        assertThatThrownBy(() -> decodeVerify(NOW_NS, token, "{\"secret\":\"key\",\"cert\":\"{\\\"keys\\\":[]}\"}"))
                .hasMessage("duplicate key constraints");
        assertThatThrownBy(() -> decodeVerify(NOW_NS, token, "{\"secret\":\"key\",\"foo\":1}"))
                .hasMessage("unknown token validation constraint: foo");
    }

    @Test
    void oversizedAndMalformedInputFailFastWithClearErrors() {
        String big = "A".repeat(2_000_000);
        assertThatThrownBy(() -> call(at(NOW_NS), "io.jwt.decode", List.of(s(big))))
                .hasMessage("encoded JWT had no period separators");
        assertThatThrownBy(() -> call(at(NOW_NS), "io.jwt.decode", List.of(s(".".repeat(1_000_000)))))
                .hasMessage("encoded JWT must have 3 sections, found 1000001");
        assertThatThrownBy(() -> call(at(NOW_NS), "io.jwt.decode", List.of(s(big + "." + big + "." + big))))
                .hasMessageStartingWith("bad JWT header: invalid JSON");
        assertThatThrownBy(() -> call(at(NOW_NS), "io.jwt.decode", List.of(s("e30.e30.#"))))
                .hasMessage("JWT signature had invalid encoding: illegal base64url string: #");
    }

    @Test
    void everyLayerOfANestedTokenMustVerify() {
        String key = "{\"kty\":\"oct\",\"k\":\"" + b64url("k") + "\"}";
        String attackerKey = "{\"kty\":\"oct\",\"k\":\"" + b64url("attacker") + "\"}";
        String inner = sign("{\"alg\":\"HS256\"}", "{\"sub\":\"x\"}", key);
        String forgedInner = sign("{\"alg\":\"HS256\"}", "{\"sub\":\"root\"}", attackerKey);
        for (int i = 0; i < 12; i++) {
            inner = wrap(inner, key);
            forgedInner = wrap(forgedInner, key);
        }
        Value ok = decodeVerify(NOW_NS, inner, "{\"secret\":\"k\"}");
        assertThat(valid(ok)).isTrue();
        assertThat(((ArrayValue) ok).get(2)).isEqualTo(json("{\"sub\":\"x\"}"));
        // Correctly signed outer layers do not vouch for an inner token signed by someone else.
        assertThat(valid(decodeVerify(NOW_NS, forgedInner, "{\"secret\":\"k\"}")))
                .isFalse();
    }

    private static String wrap(String token, String key) {
        return ((StringValue) call(
                        at(NOW_NS),
                        "io.jwt.encode_sign_raw",
                        List.of(s("{\"alg\":\"HS256\",\"cty\":\"JWT\",\"typ\":\"text/plain\"}"), s(token), s(key))))
                .value();
    }

    @Test
    void errorsNeverEchoKeyMaterial() throws Exception {
        String secretJwk = rsa.toJSONString();
        String broken = secretJwk.substring(0, secretJwk.length() - 1);
        assertThatThrownBy(() -> call(
                        at(NOW_NS),
                        "io.jwt.encode_sign_raw",
                        List.of(s("{\"alg\":\"RS256\"}"), s("{}"), s(broken + ",\"kty\":}"))))
                .isInstanceOf(BuiltinError.class)
                .satisfies(e -> assertThat(e.getMessage())
                        .doesNotContain(rsa.getPrivateExponent().toString()));
        assertThatThrownBy(() -> call(at(NOW_NS), "io.jwt.verify_rs256", List.of(s("a.b.c"), s(broken))))
                .isInstanceOf(BuiltinError.class)
                .satisfies(e -> assertThat(e.getMessage()).isEqualTo("failed to parse a JWK key (set): invalid JSON"));
        // An HS key cannot sign RS256.
        assertThatThrownBy(() ->
                        sign("{\"alg\":\"RS256\"}", "{}", "{\"kty\":\"oct\",\"k\":\"" + b64url("topsecret") + "\"}"))
                .satisfies(e -> assertThat(e.getMessage())
                        .doesNotContain(b64url("topsecret"))
                        .contains("RS256"));
    }
}
