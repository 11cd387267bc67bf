package io.opsmcp.rego.builtins;

import static io.opsmcp.rego.builtins.Type.ANY;
import static io.opsmcp.rego.builtins.Type.BOOLEAN;
import static io.opsmcp.rego.builtins.Type.STRING;
import static io.opsmcp.rego.builtins.Type.args;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import io.opsmcp.rego.value.ArrayValue;
import io.opsmcp.rego.value.BooleanValue;
import io.opsmcp.rego.value.NumberValue;
import io.opsmcp.rego.value.ObjectValue;
import io.opsmcp.rego.value.StringValue;
import io.opsmcp.rego.value.Value;
import io.opsmcp.rego.value.Values;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code io.jwt.*} family with the semantics, checks and error texts of OPA's
 * {@code v1/topdown/tokens.go}: {@code decode}, {@code decode_verify} (signature, {@code alg},
 * {@code iss}, {@code aud}, {@code exp}/{@code nbf} against the constraint {@code time} or else the
 * evaluation's {@code time.now_ns}, nested {@code cty: JWT} tokens), the {@code verify_*} functions
 * (PEM certificate, PEM public key, JWK or JWK set, {@code kid} matching) and {@code encode_sign} /
 * {@code encode_sign_raw} (first key of a JWK or JWK set).
 *
 * <p>Signatures are made and checked by nimbus-jose-jwt (RSA PKCS#1 v1.5, RSA-PSS, ECDSA) and the JDK
 * (HMAC, Ed25519, which nimbus only offers through Tink). Only the 13 algorithms OPA knows are
 * accepted; {@code none} and anything else never verify. A key is only used for the algorithm family it
 * belongs to, so an RSA public key cannot serve as an HMAC secret. Error messages never contain key
 * material.
 */
final class JwtBuiltins {
    private JwtBuiltins() {}

    /** OPA's {@code tokenAlgorithms}. */
    private static final Set<String> ALGORITHMS = Set.of(
            "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "HS256", "HS384", "HS512",
            "EdDSA");

    /** Fixed DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410), followed by the 32 key bytes. */
    private static final byte[] ED25519_SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    /** Fixed DER prefix of an Ed25519 PKCS#8 private key (RFC 8410), followed by the 32 seed bytes. */
    private static final byte[] ED25519_PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b657004220420");

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .build();

    private static final BigDecimal NANOS_PER_SECOND = BigDecimal.valueOf(1_000_000_000L);

    static List<Builtin> all() {
        List<Builtin> out = new ArrayList<>();
        out.add(Builtin.simple("io.jwt.decode", args(STRING), Type.ANY_ARRAY, (a, c) -> decode(a.get(0))));
        // Nondeterministic as in OPA: decode_verify reads the clock, the signers (ES*, PS*) draw random numbers.
        out.add(new Builtin(
                "io.jwt.decode_verify",
                args(STRING, Type.object(STRING, ANY)),
                Type.ANY_ARRAY,
                true,
                (BuiltinFunction.Simple) JwtBuiltins::decodeVerify));
        for (String alg : List.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512")) {
            out.add(Builtin.simple(
                    "io.jwt.verify_" + alg.toLowerCase(Locale.ROOT),
                    args(STRING, STRING),
                    BOOLEAN,
                    (a, c) -> BooleanValue.of(verifyWithKeys(a, alg))));
        }
        out.add(Builtin.simple(
                "io.jwt.verify_eddsa",
                args(STRING, STRING),
                BOOLEAN,
                (a, c) -> BooleanValue.of(verifyWithKeys(a, "EdDSA"))));
        for (String alg : List.of("HS256", "HS384", "HS512")) {
            out.add(Builtin.simple(
                    "io.jwt.verify_" + alg.toLowerCase(Locale.ROOT),
                    args(STRING, STRING),
                    BOOLEAN,
                    (a, c) -> BooleanValue.of(verifyHmac(a, alg))));
        }
        out.add(new Builtin(
                "io.jwt.encode_sign",
                args(Type.object(STRING, ANY), Type.object(STRING, ANY), Type.object(STRING, ANY)),
                STRING,
                true,
                (BuiltinFunction.Simple) (a, c) -> encodeSign(
                        bytes(Values.toJsonString(a.get(0))),
                        bytes(Values.toJsonString(a.get(1))),
                        Values.toJsonString(a.get(2)))));
        out.add(new Builtin(
                "io.jwt.encode_sign_raw", args(STRING, STRING, STRING), STRING, true, (BuiltinFunction.Simple)
                        JwtBuiltins::encodeSignRaw));
        return out;
    }

    // ---- token structure -------------------------------------------------------------------------

    /** The three base64url parts of a compact JWS, undecoded. */
    private record Token(String header, String payload, String signature) {
        byte[] signingInput() {
            return bytes(header + "." + payload);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Token split(Value jwt) {
        if (!(jwt instanceof StringValue s)) {
            throw BuiltinTypeError.operand(1, "string", jwt);
        }
        String text = s.value();
        if (text.indexOf('.') < 0) {
            throw new BuiltinError("encoded JWT had no period separators");
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 3) {
            throw new BuiltinError("encoded JWT must have 3 sections, found " + parts.length);
        }
        return new Token(parts[0], parts[1], parts[2]);
    }

    /** OPA's {@code decodeHeader}: base64url, a JSON object, and not a JWE. */
    private static ObjectValue header(Token token) {
        byte[] raw;
        try {
            raw = GoBase64.decodeUrlLenient(token.header());
        } catch (BuiltinError e) {
            throw new BuiltinError("JWT header had invalid encoding: " + e.getMessage());
        }
        ObjectValue header;
        try {
            header = jsonObject(raw);
        } catch (BuiltinError e) {
            throw new BuiltinError("bad JWT header: " + e.getMessage());
        }
        if (header.get("enc") != null) {
            throw new BuiltinError("JWT is a JWE object, which is not supported");
        }
        return header;
    }

    private static byte[] payloadBytes(Token token) {
        try {
            return GoBase64.decodeUrlLenient(token.payload());
        } catch (BuiltinError e) {
            throw new BuiltinError("JWT payload had invalid encoding: " + e.getMessage());
        }
    }

    /** OPA's {@code decodeSignature}: the error is the bare base64 error. */
    private static byte[] signature(Token token) {
        return GoBase64.decodeUrlLenient(token.signature());
    }

    /** OPA's {@code extractJSONObject}; duplicate keys keep the last value, as Go's decoder does. */
    private static ObjectValue jsonObject(byte[] json) {
        Value v;
        try {
            JsonNode node = JSON.readTree(json);
            if (node == null || node.isMissingNode()) {
                throw new BuiltinError("invalid JSON: unexpected end of JSON input");
            }
            v = Values.fromJson(node);
        } catch (JacksonException e) {
            // No parser text: it would quote token content, and a token is a credential.
            throw new BuiltinError("invalid JSON: malformed JSON");
        }
        if (!(v instanceof ObjectValue o)) {
            throw new BuiltinError("decoded JSON type was not an Object");
        }
        return o;
    }

    // ---- io.jwt.decode ---------------------------------------------------------------------------

    private static Value decode(Value jwt) {
        Token token = split(jwt);
        ObjectValue header = header(token);
        byte[] payload = payloadBytes(token);
        if (header.get("cty") instanceof StringValue cty && cty.value().equals("JWT")) {
            // A nested token: jwt.io quotes it, so strip quotes before decoding the inner token.
            return decode(StringValue.of(trimQuotes(new String(payload, StandardCharsets.UTF_8))));
        }
        ObjectValue claims = jsonObject(payload);
        byte[] sig;
        try {
            sig = signature(token);
        } catch (BuiltinError e) {
            throw new BuiltinError("JWT signature had invalid encoding: " + e.getMessage());
        }
        return ArrayValue.of(header, claims, StringValue.of(HexFormat.of().formatHex(sig)));
    }

    private static String trimQuotes(String s) {
        int b = 0;
        int e = s.length();
        while (b < e && (s.charAt(b) == '"' || s.charAt(b) == '\'')) {
            b++;
        }
        while (e > b && (s.charAt(e - 1) == '"' || s.charAt(e - 1) == '\'')) {
            e--;
        }
        return s.substring(b, e);
    }

    // ---- keys ------------------------------------------------------------------------------------

    /**
     * A verification key: a {@link PublicKey}, or the bytes of a symmetric JWK; {@code alg} and {@code kid}
     * are empty unless the key came from a JWK that names them.
     */
    private record VerificationKey(Object key, String alg, String kid) {}

    /** OPA's {@code getKeysFromCertOrJWK}: one PEM block (certificate or public key), else a JWK or JWK set. */
    private static List<VerificationKey> keys(String text) {
        GoPem.Decoded pem = GoPem.decode(text);
        if (pem.block() != null) {
            if (!pem.rest().isEmpty()) {
                throw new BuiltinError("extra data after a PEM certificate block");
            }
            return switch (pem.block().type()) {
                case "CERTIFICATE" ->
                    List.of(new VerificationKey(certificateKey(pem.block().bytes()), "", ""));
                case "PUBLIC KEY" ->
                    List.of(new VerificationKey(publicKey(pem.block().bytes()), "", ""));
                default -> throw new BuiltinError("failed to extract a Key from the PEM certificate");
            };
        }
        List<JWK> jwks;
        try {
            jwks = parseJwks(text);
        } catch (java.text.ParseException | RuntimeException e) {
            throw new BuiltinError("failed to parse a JWK key (set): " + jwkProblem(e));
        }
        List<VerificationKey> out = new ArrayList<>();
        for (JWK jwk : jwks) {
            String alg = jwk.getAlgorithm() == null ? "" : jwk.getAlgorithm().getName();
            if (!alg.isEmpty() && !ALGORITHMS.contains(alg)) {
                continue;
            }
            out.add(new VerificationKey(exportPublic(jwk), alg, jwk.getKeyID() == null ? "" : jwk.getKeyID()));
        }
        return out;
    }

    private static PublicKey certificateKey(byte[] der) {
        try {
            return CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der))
                    .getPublicKey();
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new BuiltinError("failed to parse a PEM certificate: x509: malformed certificate");
        }
    }

    /** Go's {@code x509.ParsePKIXPublicKey} for the key types JWS uses. */
    static PublicKey publicKey(byte[] der) {
        for (String alg : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException | RuntimeException e) {
                // try the next key type
            }
        }
        throw new BuiltinError("failed to parse a PEM public key: x509: malformed public key");
    }

    /** A JWK, or the keys of a JWK set ({@code {"keys": [...]}}), as jwx's {@code jwk.Parse} accepts. */
    private static List<JWK> parseJwks(String text) throws java.text.ParseException {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JacksonException e) {
            throw new java.text.ParseException("invalid JSON", -1);
        }
        if (node == null || !node.isObject()) {
            throw new java.text.ParseException("invalid JSON", -1);
        }
        if (node.has("keys")) {
            return JWKSet.parse(text).getKeys();
        }
        return List.of(JWK.parse(text));
    }

    /** The public half of an asymmetric JWK, the secret of a symmetric one, or the JWK itself if unusable. */
    private static Object exportPublic(JWK jwk) {
        try {
            if (jwk instanceof RSAKey k) {
                return k.toRSAPublicKey();
            }
            if (jwk instanceof ECKey k) {
                return k.toECPublicKey();
            }
            if (jwk instanceof OctetKeyPair k && Curve.Ed25519.equals(k.getCurve())) {
                return ed25519PublicKey(k.getDecodedX());
            }
            if (jwk instanceof OctetSequenceKey k) {
                return k.toByteArray();
            }
        } catch (JOSEException | GeneralSecurityException e) {
            throw new BuiltinError("failed to parse a JWK key (set): invalid " + jwk.getKeyType() + " key");
        }
        // A key type JWS cannot use (X25519, ...): kept, and never verifies anything.
        return jwk;
    }

    private static PublicKey ed25519PublicKey(byte[] x) throws GeneralSecurityException {
        if (x.length != 32) {
            throw new GeneralSecurityException("bad Ed25519 key length");
        }
        byte[] der = new byte[ED25519_SPKI_PREFIX.length + 32];
        System.arraycopy(ED25519_SPKI_PREFIX, 0, der, 0, ED25519_SPKI_PREFIX.length);
        System.arraycopy(x, 0, der, ED25519_SPKI_PREFIX.length, 32);
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
    }

    /**
     * What was wrong with a JWK, without the parser's own text: JSON and JWK parsers quote the input, and
     * the input here is key material.
     */
    private static String jwkProblem(Exception e) {
        return e instanceof java.text.ParseException p && p.getErrorOffset() == -1
                ? "invalid JSON"
                : "invalid or unsupported JWK";
    }

    // ---- signature checks ------------------------------------------------------------------------

    /**
     * Whether {@code signature} is a valid {@code alg} signature of {@code input} under {@code key}. A key
     * of the wrong type for the algorithm (an RSA key for HS256, a secret for RS256, ...) never verifies.
     */
    static boolean verifySignature(Object key, String alg, byte[] input, byte[] signature) {
        try {
            return switch (alg) {
                case "HS256", "HS384", "HS512" ->
                    key instanceof byte[] secret && MessageDigest.isEqual(hmac(alg, secret, input), signature);
                case "RS256", "RS384", "RS512" ->
                    key instanceof RSAPublicKey rsa
                            && new RSASSAVerifier(rsa)
                                    .verify(new JWSHeader(JWSAlgorithm.parse(alg)), input, Base64URL.encode(signature));
                case "PS256", "PS384", "PS512" ->
                    key instanceof RSAPublicKey rsa
                            && (new RSASSAVerifier(rsa)
                                            .verify(
                                                    new JWSHeader(JWSAlgorithm.parse(alg)),
                                                    input,
                                                    Base64URL.encode(signature))
                                    || pssMaxSaltVerify(rsa, alg, input, signature));
                case "ES256", "ES384", "ES512" ->
                    key instanceof ECPublicKey ec
                            && (java.util.Objects.equals(
                                            Curve.forECParameterSpec(ec.getParams()),
                                            Curve.forJWSAlgorithm(JWSAlgorithm.parse(alg))
                                                    .iterator()
                                                    .next())
                                    ? new ECDSAVerifier(ec)
                                            .verify(
                                                    new JWSHeader(JWSAlgorithm.parse(alg)),
                                                    input,
                                                    Base64URL.encode(signature))
                                    : ecdsaAnyCurveVerify(ec, alg, input, signature));
                case "EdDSA" -> key instanceof EdECPublicKey ed && ed25519Verify(ed, input, signature);
                default -> false;
            };
        } catch (JOSEException | GeneralSecurityException | java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * ECDSA with a key on another curve than the algorithm names: Go (and so OPA) verifies r || s, split in
     * the middle, with the algorithm's hash on the key's curve. The JDK does the math.
     */
    private static boolean ecdsaAnyCurveVerify(ECPublicKey key, String alg, byte[] input, byte[] signature)
            throws GeneralSecurityException, java.io.IOException {
        int n = signature.length / 2;
        if (n == 0) {
            return false;
        }
        java.math.BigInteger r = new java.math.BigInteger(1, java.util.Arrays.copyOfRange(signature, 0, n));
        java.math.BigInteger sv =
                new java.math.BigInteger(1, java.util.Arrays.copyOfRange(signature, n, signature.length));
        byte[] der = new org.bouncycastle.asn1.DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
                    new org.bouncycastle.asn1.ASN1Integer(r), new org.bouncycastle.asn1.ASN1Integer(sv)
                })
                .getEncoded();
        Signature s = Signature.getInstance("SHA" + alg.substring(2) + "withECDSA");
        s.initVerify(key);
        s.update(input);
        return s.verify(der);
    }

    /**
     * RSA-PSS with the longest possible salt, what Go's {@code rsa.SignPSS} uses by default; OPA's verifier
     * (Go's automatic salt length) accepts those signatures too. JWS signers use a hash-long salt, tried first.
     */
    private static boolean pssMaxSaltVerify(RSAPublicKey key, String alg, byte[] input, byte[] signature)
            throws GeneralSecurityException {
        String hash = "SHA-" + alg.substring(2);
        int hashLen = Integer.parseInt(alg.substring(2)) / 8;
        int emLen = (key.getModulus().bitLength() - 1 + 7) / 8;
        int salt = emLen - hashLen - 2;
        if (salt < 0) {
            return false;
        }
        Signature s = Signature.getInstance("RSASSA-PSS");
        s.setParameter(new java.security.spec.PSSParameterSpec(
                hash, "MGF1", new java.security.spec.MGF1ParameterSpec(hash), salt, 1));
        s.initVerify(key);
        s.update(input);
        return s.verify(signature);
    }

    private static boolean ed25519Verify(PublicKey key, byte[] input, byte[] signature)
            throws GeneralSecurityException {
        Signature s = Signature.getInstance("Ed25519");
        s.initVerify(key);
        s.update(input);
        return s.verify(signature);
    }

    private static byte[] hmac(String alg, byte[] secret, byte[] input) throws GeneralSecurityException {
        String jca = "Hmac"
                + switch (alg) {
                    case "HS256" -> "SHA256";
                    case "HS384" -> "SHA384";
                    default -> "SHA512";
                };
        Mac mac = Mac.getInstance(jca);
        // HMAC zero-pads keys to the block size, so an empty secret equals one zero byte; the JDK refuses
        // empty keys while Go accepts them.
        mac.init(new SecretKeySpec(secret.length == 0 ? new byte[1] : secret, jca));
        return mac.doFinal(input);
    }

    /**
     * The key search of OPA's {@code builtinJWTVerify} and {@code constraints.verify}: a key whose
     * {@code kid} equals the header's is the only one tried; otherwise every key that names no algorithm
     * or the header's {@code headerAlg} is tried with {@code verifyAlg}.
     */
    private static boolean verifyAny(
            List<VerificationKey> keys, String kid, String headerAlg, String verifyAlg, byte[] input, byte[] sig) {
        if (!kid.isEmpty()) {
            for (VerificationKey k : keys) {
                if (k.kid().equals(kid)) {
                    return verifySignature(k.key(), verifyAlg, input, sig);
                }
            }
        }
        for (VerificationKey k : keys) {
            if (!k.alg().isEmpty() && !k.alg().equals(headerAlg)) {
                continue;
            }
            if (verifySignature(k.key(), verifyAlg, input, sig)) {
                return true;
            }
        }
        return false;
    }

    /** {@code io.jwt.verify_<alg>} with a certificate, public key or JWK (set); the built-in fixes the algorithm. */
    private static boolean verifyWithKeys(List<Value> a, String alg) {
        Token token = split(a.get(0));
        List<VerificationKey> keys = keys(Operands.string(a, 1));
        byte[] sig = signature(token);
        HeaderFields header = HeaderFields.parse(header(token));
        return verifyAny(keys, header.kid(), header.alg(), alg, token.signingInput(), sig);
    }

    /** {@code io.jwt.verify_hs<bits>}: the token's HMAC under the given secret, compared in constant time. */
    private static boolean verifyHmac(List<Value> a, String alg) {
        Operands.string(a, 0);
        String secret = Operands.string(a, 1);
        Token token = split(a.get(0));
        byte[] sig = signature(token);
        return verifySignature(bytes(secret), alg, token.signingInput(), sig);
    }

    // ---- header fields ---------------------------------------------------------------------------

    /** OPA's {@code tokenHeader}: the registered fields it checks, and the names it does not know. */
    private record HeaderFields(
            String alg, String kid, String typ, String cty, Set<String> crit, List<String> unknown) {
        static HeaderFields parse(ObjectValue header) {
            String alg = "";
            String kid = "";
            String typ = "";
            String cty = "";
            Set<String> crit = new HashSet<>();
            List<String> unknown = new ArrayList<>();
            for (Value k : header.keys()) {
                String name = k instanceof StringValue s ? s.value() : Values.toJsonString(k);
                Value v = header.get(k);
                switch (name) {
                    case "alg" -> alg = headerString("alg", v);
                    case "kid" -> kid = headerString("kid", v);
                    case "typ" -> typ = headerString("typ", v);
                    case "cty" -> cty = headerString("cty", v);
                    case "crit" -> {
                        if (!(v instanceof ArrayValue list)) {
                            throw new BuiltinError("crit: must be a list");
                        }
                        for (Value e : list.elements()) {
                            if (e instanceof StringValue s) {
                                crit.add(s.value());
                            }
                        }
                        if (crit.isEmpty()) {
                            throw new BuiltinError("crit: must be a nonempty list");
                        }
                    }
                    default -> unknown.add(name);
                }
            }
            return new HeaderFields(alg, kid, typ, cty, crit, unknown);
        }

        private static String headerString(String name, Value v) {
            if (!(v instanceof StringValue s)) {
                throw new BuiltinError(name + ": must be a string");
            }
            return s.value();
        }

        /** RFC 7515: {@code alg} present, and no critical parameter we do not understand. */
        boolean valid() {
            if (alg.isEmpty()) {
                return false;
            }
            for (String u : unknown) {
                if (crit.contains(u)) {
                    return false;
                }
            }
            return true;
        }
    }

    // ---- io.jwt.decode_verify --------------------------------------------------------------------

    /** The parsed constraints object; {@code keys} is null unless {@code cert} was given. */
    private static final class Constraints {
        String secret = "";
        String alg = "";
        String iss = "";
        String aud = "";
        List<VerificationKey> keys;
        BigDecimal timeNs;
    }

    private static Constraints constraints(ObjectValue o, long nowNs) {
        Constraints c = new Constraints();
        for (Value k : o.keys()) {
            String name = k instanceof StringValue s ? s.value() : Values.toJsonString(k);
            Value v = o.get(k);
            switch (name) {
                case "cert" -> {
                    if (!(v instanceof StringValue s)) {
                        throw new BuiltinError("cert constraint: must be a string");
                    }
                    c.keys = keys(s.value());
                }
                case "secret" -> c.secret = constraintString("secret", v);
                case "alg" -> c.alg = constraintString("alg", v);
                case "iss" -> c.iss = constraintString("iss", v);
                case "aud" -> c.aud = constraintString("aud", v);
                case "time" -> c.timeNs = timeConstraint(v);
                default -> throw new BuiltinError("unknown token validation constraint: " + name);
            }
        }
        if (c.timeNs == null) {
            c.timeNs = BigDecimal.valueOf(nowNs);
        }
        int keySources = (c.keys != null ? 1 : 0) + (!c.secret.isEmpty() ? 1 : 0);
        if (keySources > 1) {
            throw new BuiltinError("duplicate key constraints");
        }
        if (keySources < 1) {
            throw new BuiltinError("no key constraint");
        }
        return c;
    }

    private static String constraintString(String name, Value v) {
        if (!(v instanceof StringValue s)) {
            throw new BuiltinError(name + " constraint: must be a string");
        }
        return s.value();
    }

    private static BigDecimal timeConstraint(Value v) {
        if (!(v instanceof NumberValue n)) {
            throw new BuiltinError("token time constraint: must be a number");
        }
        // OPA takes the time as a float64.
        double d = n.bigDecimal().doubleValue();
        if (Double.isInfinite(d)) {
            throw new BuiltinError("token time constraint: unvalid float64");
        }
        if (d < 0) {
            throw new BuiltinError("token time constraint: must not be negative");
        }
        return new BigDecimal(Double.toString(d));
    }

    private static Value decodeVerify(List<Value> a, BuiltinContext ctx) {
        Value jwt = a.get(0);
        ObjectValue options = Operands.object(a, 1);
        Value unverified = ArrayValue.of(BooleanValue.FALSE, ObjectValue.EMPTY, ObjectValue.EMPTY);
        Constraints c = constraints(options, ctx.nowNs());

        Token token;
        ObjectValue header;
        byte[] payload;
        // Nested tokens (cty: JWT) are unwrapped, each layer verified with the same constraints. Each layer
        // is a base64 payload of the one around it, so the work stays linear in the input size.
        while (true) {
            token = split(jwt);
            header = header(token);
            HeaderFields fields = HeaderFields.parse(header);
            if (!fields.valid()) {
                return unverified;
            }
            if (!c.alg.isEmpty() && !c.alg.equals(fields.alg())) {
                return unverified;
            }
            byte[] sig = signature(token);
            boolean ok = c.keys != null
                    ? verifyAny(c.keys, fields.kid(), fields.alg(), fields.alg(), token.signingInput(), sig)
                    : verifySignature(bytes(c.secret), fields.alg(), token.signingInput(), sig);
            if (!ok) {
                return unverified;
            }
            payload = payloadBytes(token);
            if (fields.cty().equalsIgnoreCase("JWT")) {
                jwt = StringValue.of(new String(payload, StandardCharsets.UTF_8));
                continue;
            }
            break;
        }
        ObjectValue claims = jsonObject(payload);

        if (!c.iss.isEmpty()) {
            if (!(claims.get("iss") instanceof StringValue iss) || !iss.value().equals(c.iss)) {
                return unverified;
            }
        }
        Value aud = claims.get("aud");
        if (aud != null) {
            if (!validAudience(aud, c.aud)) {
                return unverified;
            }
        } else if (!c.aud.isEmpty()) {
            return unverified;
        }
        BigDecimal nowSeconds = new BigDecimal(Double.toString(c.timeNs.doubleValue() / 1e9));
        Value exp = claims.get("exp");
        if (exp != null) {
            if (!(exp instanceof NumberValue n)) {
                throw new BuiltinError("exp value must be a number");
            }
            if (nowSeconds.compareTo(n.bigDecimal()) >= 0) {
                return unverified;
            }
        }
        Value nbf = claims.get("nbf");
        if (nbf != null) {
            if (!(nbf instanceof NumberValue n)) {
                throw new BuiltinError("nbf value must be a number");
            }
            if (nowSeconds.compareTo(n.bigDecimal()) < 0) {
                return unverified;
            }
        }
        return ArrayValue.of(BooleanValue.TRUE, header, claims);
    }

    private static boolean validAudience(Value aud, String want) {
        if (aud instanceof StringValue s) {
            return s.value().equals(want);
        }
        if (aud instanceof ArrayValue list) {
            for (Value e : list.elements()) {
                if (e instanceof StringValue s && s.value().equals(want)) {
                    return true;
                }
            }
        }
        return false;
    }

    // ---- io.jwt.encode_sign / encode_sign_raw ----------------------------------------------------

    /** OPA checks the key operand first, then header and payload. */
    private static Value encodeSignRaw(List<Value> a, BuiltinContext ctx) {
        String jwk = Operands.string(a, 2);
        String header = Operands.string(a, 0);
        String payload = Operands.string(a, 1);
        return encodeSign(bytes(header), bytes(payload), jwk);
    }

    private static Value encodeSign(byte[] headerJson, byte[] payloadJson, String jwkText) {
        List<JWK> jwks;
        try {
            jwks = parseJwks(jwkText);
        } catch (java.text.ParseException | RuntimeException e) {
            throw new BuiltinError("failed to parse JWK: " + jwkProblem(e));
        }
        if (jwks.isEmpty()) {
            throw new BuiltinError("no keys found in JWK set");
        }
        JWK key = jwks.get(0);

        String alg = headerString(headerJson, "alg", "missing or invalid 'alg' header: ");
        if (!ALGORITHMS.contains(alg)) {
            throw new BuiltinError("unknown JWS algorithm: " + alg);
        }
        String typ;
        try {
            typ = headerString(headerJson, "typ", "");
        } catch (BuiltinError e) {
            typ = null;
        }
        if ((typ == null || typ.equals("JWT")) && !validJson(payloadJson)) {
            throw new BuiltinError("type is JWT but payload is not JSON");
        }
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String signingInput = b64.encodeToString(headerJson) + "." + b64.encodeToString(payloadJson);
        byte[] signature = sign(key, alg, bytes(signingInput));
        return StringValue.of(signingInput + "." + b64.encodeToString(signature));
    }

    /** jwsbb's {@code HeaderGetString}: the header must parse, hold the key, and map it to a string. */
    private static String headerString(byte[] headerJson, String key, String prefix) {
        JsonNode node;
        try {
            node = JSON.readTree(headerJson);
        } catch (JacksonException e) {
            throw new BuiltinError(prefix + "cannot parse JSON: " + e.getOriginalMessage());
        }
        if (node == null || node.isMissingNode()) {
            throw new BuiltinError(prefix + "cannot parse JSON: cannot parse empty string");
        }
        JsonNode v = node.isObject() ? node.get(key) : null;
        if (v == null) {
            throw new BuiltinError(prefix + "jwsbb: header \"" + key + "\" not found");
        }
        if (!v.isString()) {
            throw new BuiltinError(prefix + "value doesn't contain string; it contains " + jsonType(v));
        }
        return v.asString();
    }

    private static String jsonType(JsonNode v) {
        if (v.isNumber()) {
            return "number";
        }
        if (v.isObject()) {
            return "object";
        }
        if (v.isArray()) {
            return "array";
        }
        if (v.isBoolean()) {
            return v.booleanValue() ? "true" : "false";
        }
        return "null";
    }

    private static boolean validJson(byte[] json) {
        try {
            JsonNode n = JSON.readTree(json);
            return n != null && !n.isMissingNode();
        } catch (JacksonException e) {
            return false;
        }
    }

    /** Signs with the key type the algorithm needs; a mismatch is an error, never a fallback. */
    private static byte[] sign(JWK key, String alg, byte[] input) {
        try {
            switch (alg) {
                case "HS256", "HS384", "HS512" -> {
                    if (!(key instanceof OctetSequenceKey oct)) {
                        throw new BuiltinError("failed to sign payload: " + alg + " requires a symmetric (oct) key");
                    }
                    return hmac(alg, oct.toByteArray(), input);
                }
                case "RS256", "RS384", "RS512", "PS256", "PS384", "PS512" -> {
                    if (!(key instanceof RSAKey rsa) || !rsa.isPrivate()) {
                        throw new BuiltinError("failed to sign payload: " + alg + " requires an RSA private key");
                    }
                    return new RSASSASigner(rsa.toPrivateKey(), true)
                            .sign(new JWSHeader(JWSAlgorithm.parse(alg)), input)
                            .decode();
                }
                case "ES256", "ES384", "ES512" -> {
                    if (!(key instanceof ECKey ec) || !ec.isPrivate()) {
                        throw new BuiltinError("failed to sign payload: " + alg + " requires an EC private key");
                    }
                    return new ECDSASigner(ec)
                            .sign(new JWSHeader(JWSAlgorithm.parse(alg)), input)
                            .decode();
                }
                default -> {
                    if (!(key instanceof OctetKeyPair okp)
                            || !okp.isPrivate()
                            || !Curve.Ed25519.equals(okp.getCurve())) {
                        throw new BuiltinError("failed to sign payload: EdDSA requires an Ed25519 private key");
                    }
                    Signature s = Signature.getInstance("Ed25519");
                    s.initSign(ed25519PrivateKey(okp.getDecodedD()));
                    s.update(input);
                    return s.sign();
                }
            }
        } catch (JOSEException | GeneralSecurityException e) {
            throw new BuiltinError("failed to sign payload: the " + key.getKeyType() + " key cannot sign " + alg);
        }
    }

    private static PrivateKey ed25519PrivateKey(byte[] d) throws GeneralSecurityException {
        if (d.length != 32) {
            throw new GeneralSecurityException("bad Ed25519 private key length");
        }
        try {
            return KeyFactory.getInstance("Ed25519")
                    .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, d));
        } catch (GeneralSecurityException e) {
            byte[] der = new byte[ED25519_PKCS8_PREFIX.length + 32];
            System.arraycopy(ED25519_PKCS8_PREFIX, 0, der, 0, ED25519_PKCS8_PREFIX.length);
            System.arraycopy(d, 0, der, ED25519_PKCS8_PREFIX.length, 32);
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
        }
    }
}
