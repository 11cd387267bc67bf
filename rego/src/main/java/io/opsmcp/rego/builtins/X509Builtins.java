package io.opsmcp.rego.builtins;

import static io.opsmcp.rego.builtins.Type.ANY;
import static io.opsmcp.rego.builtins.Type.STRING;
import static io.opsmcp.rego.builtins.Type.args;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import io.opsmcp.rego.value.ArrayValue;
import io.opsmcp.rego.value.BooleanValue;
import io.opsmcp.rego.value.NullValue;
import io.opsmcp.rego.value.NumberValue;
import io.opsmcp.rego.value.ObjectValue;
import io.opsmcp.rego.value.SetValue;
import io.opsmcp.rego.value.StringValue;
import io.opsmcp.rego.value.Value;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * {@code crypto.x509.parse_certificates}, {@code parse_and_verify_certificates[_with_options]},
 * {@code parse_certificate_request}, {@code parse_keypair}, {@code parse_rsa_private_key} and
 * {@code crypto.parse_private_keys}, following OPA's {@code v1/topdown/crypto.go}: inputs are PEM,
 * base64 of PEM, or base64 of DER; results have the shape of Go's {@code crypto/x509} types (see
 * {@link GoX509Json}). Chains are verified with the JDK's PKIX path builder against the first certificate
 * as the only root, at the evaluation's {@code time.now_ns} unless {@code CurrentTime} is given, with
 * Go's extended-key-usage (default server auth) and host name checks. Private key material only leaves
 * through the results these built-ins are defined to return, never through errors.
 */
final class X509Builtins {
    private X509Builtins() {}

    private static final String CERTIFICATE = "CERTIFICATE";

    /** OPA's {@code allowedKeyUsages}, by option name. */
    private static final Map<String, Integer> KEY_USAGES = Map.ofEntries(
            Map.entry("KeyUsageAny", 0),
            Map.entry("KeyUsageServerAuth", 1),
            Map.entry("KeyUsageClientAuth", 2),
            Map.entry("KeyUsageCodeSigning", 3),
            Map.entry("KeyUsageEmailProtection", 4),
            Map.entry("KeyUsageIPSECEndSystem", 5),
            Map.entry("KeyUsageIPSECTunnel", 6),
            Map.entry("KeyUsageIPSECUser", 7),
            Map.entry("KeyUsageTimeStamping", 8),
            Map.entry("KeyUsageOCSPSigning", 9),
            Map.entry("KeyUsageMicrosoftServerGatedCrypto", 10),
            Map.entry("KeyUsageNetscapeServerGatedCrypto", 11),
            Map.entry("KeyUsageMicrosoftCommercialCodeSigning", 12),
            Map.entry("KeyUsageMicrosoftKernelCodeSigning", 13));

    static List<Builtin> all() {
        return List.of(
                Builtin.simple(
                        "crypto.x509.parse_certificates",
                        args(STRING),
                        Type.array(Type.object(STRING, ANY)),
                        (a, c) -> certificatesValue(parseCertificates(Operands.string(a, 0)), true)),
                Builtin.simple(
                        "crypto.x509.parse_and_verify_certificates",
                        args(STRING),
                        Type.ANY_ARRAY,
                        (a, c) -> parseAndVerify(Operands.string(a, 0), null, c.nowNs(), true)),
                Builtin.simple(
                        "crypto.x509.parse_and_verify_certificates_with_options",
                        args(STRING, Type.object(STRING, ANY)),
                        Type.ANY_ARRAY,
                        (a, c) -> {
                            String input = Operands.string(a, 0);
                            return parseAndVerify(input, Operands.object(a, 1), c.nowNs(), false);
                        }),
                Builtin.simple(
                        "crypto.x509.parse_certificate_request",
                        args(STRING),
                        Type.object(STRING, ANY),
                        (a, c) -> parseCertificateRequest(Operands.string(a, 0))),
                Builtin.simple("crypto.x509.parse_keypair", args(STRING, STRING), Type.object(STRING, ANY), (a, c) -> {
                    String cert = Operands.string(a, 0);
                    // OPA reports a non-string key as "operand 1" too.
                    if (!(a.get(1) instanceof StringValue key)) {
                        throw BuiltinTypeError.operand(1, "string", a.get(1));
                    }
                    return parseKeyPair(cert, key.value());
                }),
                Builtin.simple(
                        "crypto.x509.parse_rsa_private_key",
                        args(STRING),
                        Type.object(STRING, ANY),
                        (a, c) -> parseRsaPrivateKeyJwk(Operands.string(a, 0))),
                Builtin.simple(
                        "crypto.parse_private_keys",
                        args(STRING),
                        Type.array(Type.object(STRING, ANY)),
                        (a, c) -> parsePrivateKeys(Operands.string(a, 0))));
    }

    // ---- certificates ----------------------------------------------------------------------------

    /** One certificate, as BouncyCastle's ASN.1 structure and the JDK's parsed certificate. */
    record Parsed(Certificate asn1, X509Certificate jdk) {}

    private static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** OPA's {@code getX509CertsFromString}: PEM, base64 of PEM, or base64 of (concatenated) DER. */
    static List<Parsed> parseCertificates(String input) {
        if (input.startsWith("-----BEGIN")) {
            return fromPem(input);
        }
        byte[] decoded = GoBase64.decodeStd(input);
        String asText = latin1(decoded);
        if (asText.startsWith("-----BEGIN")) {
            return fromPem(asText);
        }
        return fromDer(decoded);
    }

    private static List<Parsed> fromPem(String text) {
        java.io.ByteArrayOutputStream der = new java.io.ByteArrayOutputStream();
        String rest = text;
        while (!rest.isEmpty()) {
            GoPem.Decoded d = GoPem.decode(rest);
            if (d.block() == null) {
                break;
            }
            if (!d.block().type().equals(CERTIFICATE)) {
                throw new BuiltinError("PEM block type is '" + d.block().type() + "', expected " + CERTIFICATE);
            }
            der.writeBytes(d.block().bytes());
            rest = d.rest();
        }
        return fromDer(der.toByteArray());
    }

    /** Go's {@code x509.ParseCertificates}: DER certificates back to back. */
    private static List<Parsed> fromDer(byte[] der) {
        List<Parsed> out = new ArrayList<>();
        try (ASN1InputStream in = new ASN1InputStream(der)) {
            int consumed = 0;
            while (consumed < der.length) {
                ASN1Primitive p = in.readObject();
                if (p == null) {
                    throw new BuiltinError("x509: malformed certificate");
                }
                byte[] one = p.getEncoded("DER");
                consumed += one.length;
                Certificate asn1 = Certificate.getInstance(p);
                X509Certificate jdk = (X509Certificate)
                        CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(one));
                out.add(new Parsed(asn1, jdk));
            }
        } catch (BuiltinError e) {
            throw e;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new BuiltinError("x509: malformed certificate");
        }
        return out;
    }

    private static ArrayValue certificatesValue(List<Parsed> certs, boolean withUriStrings) {
        ArrayValue.Builder b = ArrayValue.builder();
        for (Parsed p : certs) {
            b.add(GoX509Json.certificate(p.asn1(), withUriStrings));
        }
        return b.build();
    }

    /** The options of {@code parse_and_verify_certificates_with_options}. */
    private record VerifyOptions(String dnsName, Long currentTimeNs, List<Integer> keyUsages) {}

    private static Value parseAndVerify(String input, ObjectValue options, long nowNs, boolean withUriStrings) {
        Value invalid = ArrayValue.of(BooleanValue.FALSE, ArrayValue.EMPTY);
        List<Parsed> certs;
        try {
            certs = parseCertificates(input);
        } catch (BuiltinError e) {
            return invalid;
        }
        VerifyOptions opts = options == null ? new VerifyOptions("", null, List.of()) : verifyOptions(options);
        List<Parsed> chain = verifyChain(certs, opts, opts.currentTimeNs() != null ? opts.currentTimeNs() : nowNs);
        if (chain == null) {
            return invalid;
        }
        return ArrayValue.of(BooleanValue.TRUE, certificatesValue(chain, withUriStrings));
    }

    private static VerifyOptions verifyOptions(ObjectValue options) {
        String dns = "";
        Long time = null;
        List<Integer> usages = new ArrayList<>();
        for (Value k : options.keys()) {
            if (!(k instanceof StringValue ks)) {
                continue;
            }
            Value v = options.get(k);
            switch (ks.value()) {
                case "DNSName" -> {
                    if (!(v instanceof StringValue s)) {
                        throw new BuiltinError("'DNSName' should be a string");
                    }
                    dns = trimQuotes(s.value());
                }
                case "CurrentTime" -> {
                    if (!(v instanceof NumberValue n)) {
                        throw new BuiltinError("'CurrentTime' should be a number");
                    }
                    if (n.bigDecimal().scale() != 0 || n.asLong().isEmpty()) {
                        throw new BuiltinError("'CurrentTime' should be a valid int64 number");
                    }
                    time = n.asLong().getAsLong();
                }
                case "MaxConstraintComparisons" -> {
                    if (!(v instanceof NumberValue n)) {
                        throw new BuiltinError("'MaxConstraintComparisons' should be a number");
                    }
                    if (n.asInt().isEmpty()) {
                        throw new BuiltinError("'MaxConstraintComparisons' should be a valid number");
                    }
                }
                case "KeyUsages" -> {
                    List<Value> elements;
                    if (v instanceof ArrayValue arr) {
                        elements = arr.elements();
                    } else if (v instanceof SetValue set) {
                        elements = new ArrayList<>(set.elements());
                    } else {
                        throw new BuiltinError("'KeyUsages' should be an Array or Set");
                    }
                    List<String> bad = new ArrayList<>();
                    for (Value e : elements) {
                        if (e instanceof StringValue s) {
                            String name = trimQuotes(s.value());
                            Integer usage = KEY_USAGES.get(name);
                            if (usage == null) {
                                bad.add(name);
                            } else {
                                usages.add(usage);
                            }
                        }
                    }
                    if (!bad.isEmpty()) {
                        throw new BuiltinError(
                                "invalid entries for 'KeyUsages' found: [" + String.join(" ", bad) + "]");
                    }
                }
                default -> throw new BuiltinError("invalid key option");
            }
        }
        return new VerifyOptions(dns, time, usages);
    }

    private static String trimQuotes(String s) {
        int b = 0;
        int e = s.length();
        while (b < e && s.charAt(b) == '"') {
            b++;
        }
        while (e > b && s.charAt(e - 1) == '"') {
            e--;
        }
        return s.substring(b, e);
    }

    /**
     * OPA's {@code verifyX509CertificateChain}: the first certificate is the root, the last the leaf, the
     * others intermediates. Returns the verified chain from leaf to root, or null.
     */
    private static List<Parsed> verifyChain(List<Parsed> certs, VerifyOptions opts, long timeNs) {
        if (certs.size() < 2) {
            return null;
        }
        Parsed root = certs.get(0);
        Parsed leaf = certs.get(certs.size() - 1);
        Date at = new Date(Math.floorDiv(timeNs, 1_000_000L));
        List<Parsed> chain = new ArrayList<>();
        try {
            root.jdk().checkValidity(at);
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(leaf.jdk());
            PKIXBuilderParameters params =
                    new PKIXBuilderParameters(java.util.Set.of(new TrustAnchor(root.jdk(), null)), target);
            params.setRevocationEnabled(false);
            params.setDate(at);
            List<X509Certificate> pool = new ArrayList<>();
            for (int i = 1; i < certs.size(); i++) {
                pool.add(certs.get(i).jdk());
            }
            params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(pool)));
            PKIXCertPathBuilderResult result = (PKIXCertPathBuilderResult)
                    CertPathBuilder.getInstance("PKIX").build(params);
            for (java.security.cert.Certificate c : result.getCertPath().getCertificates()) {
                chain.add(find(certs, (X509Certificate) c));
            }
            chain.add(root);
        } catch (GeneralSecurityException | RuntimeException e) {
            return null;
        }
        if (!extKeyUsageAllowed(chain, opts.keyUsages())) {
            return null;
        }
        if (!opts.dnsName().isEmpty() && !hostMatches(leaf.jdk(), opts.dnsName())) {
            return null;
        }
        return chain;
    }

    private static Parsed find(List<Parsed> certs, X509Certificate c) {
        for (Parsed p : certs) {
            if (p.jdk().equals(c)) {
                return p;
            }
        }
        throw new IllegalStateException("certificate not in input");
    }

    /** Go's {@code checkChainForKeyUsage}; no requested usage means server authentication. */
    private static boolean extKeyUsageAllowed(List<Parsed> chain, List<Integer> requested) {
        List<Integer> usages = new ArrayList<>(requested.isEmpty() ? List.of(1) : requested);
        if (usages.contains(0)) {
            return true;
        }
        for (int i = chain.size() - 1; i >= 0; i--) {
            List<String> eku;
            try {
                eku = chain.get(i).jdk().getExtendedKeyUsage();
            } catch (GeneralSecurityException e) {
                return false;
            }
            if (eku == null || eku.isEmpty() || eku.contains(GoX509Json.EXT_KEY_USAGE_OIDS.get(0))) {
                continue;
            }
            usages.removeIf(u -> {
                if (eku.contains(GoX509Json.EXT_KEY_USAGE_OIDS.get(u))) {
                    return false;
                }
                // Server gated crypto certificates also serve for server authentication, as in Go.
                return !(u == 1
                        && (eku.contains(GoX509Json.EXT_KEY_USAGE_OIDS.get(10))
                                || eku.contains(GoX509Json.EXT_KEY_USAGE_OIDS.get(11))));
            });
            if (usages.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** Go's {@code VerifyHostname}: IP SANs for an IP, else DNS SANs with a left-most wildcard label. */
    private static boolean hostMatches(X509Certificate cert, String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        boolean isIp = h.matches("[0-9.]+") || h.contains(":");
        try {
            var sans = cert.getSubjectAlternativeNames();
            if (sans == null) {
                return false;
            }
            String want = h.toLowerCase(Locale.ROOT);
            if (want.endsWith(".")) {
                want = want.substring(0, want.length() - 1);
            }
            for (List<?> san : sans) {
                int type = (Integer) san.get(0);
                String value = String.valueOf(san.get(1));
                if (isIp
                        && type == 7
                        && java.net.InetAddress.getByName(value).equals(java.net.InetAddress.getByName(h))) {
                    return true;
                }
                if (!isIp && type == 2 && dnsMatch(value.toLowerCase(Locale.ROOT), want)) {
                    return true;
                }
            }
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            return false;
        }
        return false;
    }

    private static boolean dnsMatch(String pattern, String host) {
        if (pattern.endsWith(".")) {
            pattern = pattern.substring(0, pattern.length() - 1);
        }
        if (pattern.equals(host)) {
            return true;
        }
        if (!pattern.startsWith("*.")) {
            return false;
        }
        int dot = host.indexOf('.');
        return dot > 0 && host.substring(dot).equals(pattern.substring(1));
    }

    // ---- certificate requests --------------------------------------------------------------------

    private static Value parseCertificateRequest(String input) {
        byte[] bytes = input.getBytes(StandardCharsets.UTF_8);
        if (!input.startsWith("-----BEGIN CERTIFICATE REQUEST-----")) {
            bytes = GoBase64.decodeStd(input);
        }
        GoPem.Decoded d = GoPem.decode(latin1(bytes));
        if (d.block() != null && !d.block().type().equals("CERTIFICATE REQUEST")) {
            throw new BuiltinError("invalid PEM-encoded certificate signing request");
        }
        if (d.block() != null) {
            bytes = d.block().bytes();
        }
        try (ASN1InputStream in = new ASN1InputStream(bytes)) {
            ASN1Primitive p = in.readObject();
            if (p == null || in.readObject() != null) {
                throw new BuiltinError("asn1: structure error: malformed certificate request");
            }
            return GoX509Json.certificateRequest(CertificationRequest.getInstance(p));
        } catch (BuiltinError e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new BuiltinError("asn1: structure error: malformed certificate request");
        }
    }

    // ---- private keys ----------------------------------------------------------------------------

    /** A parsed private key with its public half. */
    record KeyPair(PrivateKey privateKey, PublicKey publicKey) {}

    private static KeyPair parsePrivateKeyBlock(GoPem.Block block) {
        return switch (block.type()) {
            case "RSA PRIVATE KEY" -> pkcs1(block.bytes());
            case "PRIVATE KEY" -> pkcs8(block.bytes());
            case "EC PRIVATE KEY" -> Sec1.parse(block.bytes());
            default -> null;
        };
    }

    private static KeyPair pkcs1(byte[] der) {
        try {
            var k = org.bouncycastle.asn1.pkcs.RSAPrivateKey.getInstance(ASN1Primitive.fromByteArray(der));
            KeyFactory kf = KeyFactory.getInstance("RSA");
            PrivateKey priv = kf.generatePrivate(new RSAPrivateCrtKeySpec(
                    k.getModulus(),
                    k.getPublicExponent(),
                    k.getPrivateExponent(),
                    k.getPrime1(),
                    k.getPrime2(),
                    k.getExponent1(),
                    k.getExponent2(),
                    k.getCoefficient()));
            return new KeyPair(priv, kf.generatePublic(new RSAPublicKeySpec(k.getModulus(), k.getPublicExponent())));
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new BuiltinError(
                    "x509: failed to parse private key (use ParsePKCS8PrivateKey instead for this key format)");
        }
    }

    private static KeyPair pkcs8(byte[] der) {
        try {
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(ASN1Primitive.fromByteArray(der));
            return withPublic(new JcaPEMKeyConverter().getPrivateKey(info));
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new BuiltinError(
                    "x509: failed to parse private key (use ParsePKCS1PrivateKey instead for this key format)");
        }
    }

    /**
     * SEC 1 EC private keys, in a class of their own: verifying this code (it passes BouncyCastle types as
     * {@code ASN1Encodable}) loads that interface, and with it the check of BouncyCastle's signed jar (~0.15 s), which
     * would otherwise happen whenever the builtins are registered — at every policy compile — instead of on the first
     * use of a key builtin.
     */
    private static final class Sec1 {
        private Sec1() {}

        static KeyPair parse(byte[] der) {
            try {
                var ec = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(ASN1Primitive.fromByteArray(der));
                PrivateKeyInfo info = new PrivateKeyInfo(
                        new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, ec.getParametersObject()), ec);
                return withPublic(new JcaPEMKeyConverter().getPrivateKey(info));
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                throw new BuiltinError("x509: failed to parse EC private key");
            }
        }
    }

    /** Derives the public key of an RSA (CRT), EC or Ed25519 private key. */
    private static KeyPair withPublic(PrivateKey priv) throws GeneralSecurityException, IOException {
        if (priv instanceof RSAPrivateCrtKey rsa) {
            return new KeyPair(
                    priv,
                    KeyFactory.getInstance("RSA")
                            .generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent())));
        }
        if (priv instanceof ECPrivateKey ec) {
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(priv.getEncoded());
            ASN1ObjectIdentifier curve = ASN1ObjectIdentifier.getInstance(
                    info.getPrivateKeyAlgorithm().getParameters());
            X9ECParameters x9 = ECNamedCurveTable.getByOID(curve);
            ECPoint q = x9.getG().multiply(ec.getS()).normalize();
            PublicKey pub = KeyFactory.getInstance("EC")
                    .generatePublic(new ECPublicKeySpec(
                            new java.security.spec.ECPoint(
                                    q.getAffineXCoord().toBigInteger(),
                                    q.getAffineYCoord().toBigInteger()),
                            ec.getParams()));
            return new KeyPair(priv, pub);
        }
        if ("Ed25519".equals(priv.getAlgorithm()) || "EdDSA".equals(priv.getAlgorithm())) {
            byte[] seed = org.bouncycastle.asn1.ASN1OctetString.getInstance(
                            PrivateKeyInfo.getInstance(priv.getEncoded())
                                    .getPrivateKey()
                                    .getOctets())
                    .getOctets();
            byte[] pk =
                    new Ed25519PrivateKeyParameters(seed).generatePublicKey().getEncoded();
            byte[] spki = new byte[12 + 32];
            System.arraycopy(java.util.HexFormat.of().parseHex("302a300506032b6570032100"), 0, spki, 0, 12);
            System.arraycopy(pk, 0, spki, 12, 32);
            return new KeyPair(priv, KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki)));
        }
        return new KeyPair(priv, null);
    }

    /** OPA's {@code getPrivateKeysFromPEMData}: the private key blocks of (base64 of) PEM text. */
    private static List<KeyPair> privateKeysFromPem(String pem) {
        String text = pem;
        if (GoBase64.isStd(pem)) {
            text = latin1(GoBase64.decodeStd(pem));
        }
        List<KeyPair> out = new ArrayList<>();
        while (!text.isEmpty()) {
            int before = text.length();
            GoPem.Decoded d = GoPem.decode(text);
            text = d.rest();
            if (d.block() == null || text.length() == before) {
                break;
            }
            KeyPair k = parsePrivateKeyBlock(d.block());
            if (k != null) {
                out.add(k);
            }
        }
        return out;
    }

    private static Value parsePrivateKeys(String input) {
        if (input.isEmpty()) {
            return NullValue.INSTANCE;
        }
        ArrayValue.Builder b = ArrayValue.builder();
        for (KeyPair k : privateKeysFromPem(input)) {
            b.add(GoX509Json.privateKeyJson(k.privateKey(), k.publicKey()));
        }
        return b.build();
    }

    /** {@code crypto.x509.parse_rsa_private_key}: the first private key as a JWK. */
    private static Value parseRsaPrivateKeyJwk(String input) {
        if (input.isEmpty()) {
            throw new BuiltinError("input PEM data was empty");
        }
        String pem = input;
        if (!pem.startsWith("-----BEGIN")) {
            pem = latin1(GoBase64.decodeStd(pem));
        }
        List<KeyPair> keys = privateKeysFromPem(pem);
        if (keys.isEmpty()) {
            return NullValue.INSTANCE;
        }
        KeyPair k = keys.get(0);
        JWK jwk;
        if (k.privateKey() instanceof RSAPrivateCrtKey rsa && k.publicKey() instanceof RSAPublicKey pub) {
            jwk = new RSAKey.Builder(pub).privateKey(rsa).build();
        } else if (k.privateKey() instanceof ECPrivateKey ec && k.publicKey() instanceof ECPublicKey pub) {
            jwk = new ECKey.Builder(Curve.forECParameterSpec(pub.getParams()), pub)
                    .privateKey(ec)
                    .build();
        } else if (k.publicKey() != null && "Ed25519".equals(k.publicKey().getAlgorithm())) {
            byte[] x = org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(
                            k.publicKey().getEncoded())
                    .getPublicKeyData()
                    .getBytes();
            byte[] d = org.bouncycastle.asn1.ASN1OctetString.getInstance(
                            PrivateKeyInfo.getInstance(k.privateKey().getEncoded())
                                    .getPrivateKey()
                                    .getOctets())
                    .getOctets();
            jwk = new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(x))
                    .d(Base64URL.encode(d))
                    .build();
        } else {
            throw new BuiltinError("unsupported private key type");
        }
        ObjectValue.Builder b = ObjectValue.builder();
        for (Map.Entry<String, Object> e : jwk.toJSONObject().entrySet()) {
            b.put(e.getKey(), StringValue.of(String.valueOf(e.getValue())));
        }
        return b.build();
    }

    // ---- key pairs -------------------------------------------------------------------------------

    /** Go's {@code tls.X509KeyPair} on (base64 of) PEM or DER, rendered as {@code tls.Certificate}. */
    private static Value parseKeyPair(String certInput, String keyInput) {
        String cert = certInput;
        String key = keyInput;
        if (!cert.startsWith("-----BEGIN ")) {
            cert = latin1(GoBase64.decodeStd(cert));
        }
        if (!key.startsWith("-----BEGIN ")) {
            key = latin1(GoBase64.decodeStd(key));
        }
        List<byte[]> certDer = new ArrayList<>();
        if (!cert.startsWith("-----BEGIN ")) {
            certDer.add(cert.getBytes(StandardCharsets.ISO_8859_1));
        } else {
            List<String> skipped = new ArrayList<>();
            String rest = cert;
            while (true) {
                GoPem.Decoded d = GoPem.decode(rest);
                if (d.block() == null) {
                    break;
                }
                if (d.block().type().equals(CERTIFICATE)) {
                    certDer.add(d.block().bytes());
                } else {
                    skipped.add(d.block().type());
                }
                rest = d.rest();
            }
            if (certDer.isEmpty()) {
                throw new BuiltinError(
                        skipped.isEmpty()
                                ? "tls: failed to find any PEM data in certificate input"
                                : "tls: failed to find \"CERTIFICATE\" PEM block in certificate input after skipping PEM blocks of the"
                                        + " following types: [" + String.join(" ", skipped) + "]");
            }
        }
        KeyPair pair;
        if (!key.startsWith("-----BEGIN")) {
            pair = anyPrivateKey(key.getBytes(StandardCharsets.ISO_8859_1));
        } else {
            GoPem.Block keyBlock = null;
            String rest = key;
            while (true) {
                GoPem.Decoded d = GoPem.decode(rest);
                if (d.block() == null) {
                    break;
                }
                if (d.block().type().equals("PRIVATE KEY") || d.block().type().endsWith(" PRIVATE KEY")) {
                    keyBlock = d.block();
                    break;
                }
                rest = d.rest();
            }
            if (keyBlock == null) {
                throw new BuiltinError("tls: failed to find any PEM data in key input");
            }
            pair = anyPrivateKey(keyBlock.bytes());
        }
        List<Parsed> leaf = fromDer(certDer.get(0));
        if (leaf.size() != 1) {
            throw new BuiltinError("x509: malformed certificate");
        }
        PublicKey certKey = leaf.get(0).jdk().getPublicKey();
        if (pair.publicKey() == null
                || !Arrays.equals(certKey.getEncoded(), pair.publicKey().getEncoded())) {
            throw new BuiltinError("tls: private key does not match public key");
        }
        ArrayValue.Builder chain = ArrayValue.builder();
        for (byte[] der : certDer) {
            chain.add(StringValue.of(java.util.Base64.getEncoder().encodeToString(der)));
        }
        return ObjectValue.builder()
                .put("Certificate", chain.build())
                .put("PrivateKey", GoX509Json.privateKeyJson(pair.privateKey(), pair.publicKey()))
                .put("SupportedSignatureAlgorithms", NullValue.INSTANCE)
                .put("OCSPStaple", NullValue.INSTANCE)
                .put("SignedCertificateTimestamps", NullValue.INSTANCE)
                .put("Leaf", GoX509Json.certificate(leaf.get(0).asn1(), false))
                .build();
    }

    /** Go's {@code tls.parsePrivateKey}: PKCS #1, then PKCS #8, then SEC 1. */
    private static KeyPair anyPrivateKey(byte[] der) {
        for (java.util.function.Function<byte[], KeyPair> parser :
                List.<java.util.function.Function<byte[], KeyPair>>of(
                        X509Builtins::pkcs1, X509Builtins::pkcs8, Sec1::parse)) {
            try {
                return parser.apply(der);
            } catch (BuiltinError e) {
                // try the next encoding
            }
        }
        throw new BuiltinError("tls: failed to parse private key");
    }
}
