package io.opsmcp.rego.builtins;

import static io.opsmcp.rego.builtins.BuiltinTestSupport.call;
import static io.opsmcp.rego.builtins.BuiltinTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsmcp.rego.value.ArrayValue;
import io.opsmcp.rego.value.BooleanValue;
import io.opsmcp.rego.value.NumberValue;
import io.opsmcp.rego.value.ObjectValue;
import io.opsmcp.rego.value.StringValue;
import io.opsmcp.rego.value.Value;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** crypto.x509.* on a CA and leaf generated here; validity is judged at the evaluation's clock. */
class X509BuiltinsTest {
    private static final long NOW_MS = 1_700_000_000_000L;
    private static final long NOW_NS = NOW_MS * 1_000_000L;
    private static final long DAY_MS = 86_400_000L;

    private static KeyPair caKeys;
    private static KeyPair leafKeys;
    private static String caPem;
    private static String leafPem;
    private static String otherCaPem;

    @BeforeAll
    static void pki() throws Exception {
        KeyPairGenerator ecGen = KeyPairGenerator.getInstance("EC");
        ecGen.initialize(256);
        caKeys = ecGen.generateKeyPair();
        leafKeys = ecGen.generateKeyPair();
        caPem = pem("CERTIFICATE", ca("Test Root", caKeys).getEncoded());
        otherCaPem =
                pem("CERTIFICATE", ca("Other Root", ecGen.generateKeyPair()).getEncoded());
        var leaf = new JcaX509v3CertificateBuilder(
                        new X500Name("CN=Test Root"),
                        BigInteger.valueOf(42),
                        new Date(NOW_MS - DAY_MS),
                        new Date(NOW_MS + DAY_MS),
                        new X500Name("CN=svc.local,O=Ops"),
                        leafKeys.getPublic())
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, "svc.local"),
                    new GeneralName(GeneralName.uniformResourceIdentifier, "spiffe://ops/svc")
                }))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate()));
        leafPem = pem("CERTIFICATE", leaf.getEncoded());
    }

    private static org.bouncycastle.cert.X509CertificateHolder ca(String cn, KeyPair keys) throws Exception {
        return new JcaX509v3CertificateBuilder(
                        new X500Name("CN=" + cn),
                        BigInteger.ONE,
                        new Date(NOW_MS - 10 * DAY_MS),
                        new Date(NOW_MS + 10 * DAY_MS),
                        new X500Name("CN=" + cn),
                        keys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static Value at(long nowNs, String name, Value... args) {
        return call(new BuiltinTestSupport.Ctx(nowNs), name, List.of(args));
    }

    private static boolean verified(Value result) {
        return ((BooleanValue) ((ArrayValue) result).get(0)).value();
    }

    @Test
    void parsesCertificatesIntoGoShapes() {
        ArrayValue certs = (ArrayValue) at(NOW_NS, "crypto.x509.parse_certificates", StringValue.of(caPem + leafPem));
        assertThat(certs.size()).isEqualTo(2);
        ObjectValue leaf = (ObjectValue) certs.get(1);
        assertThat(((ObjectValue) leaf.get("Subject")).get("CommonName")).isEqualTo(StringValue.of("svc.local"));
        assertThat(((ObjectValue) leaf.get("Subject")).get("Organization")).isEqualTo(json("[\"Ops\"]"));
        assertThat(leaf.get("DNSNames")).isEqualTo(json("[\"svc.local\"]"));
        assertThat(leaf.get("URIStrings")).isEqualTo(json("[\"spiffe://ops/svc\"]"));
        assertThat(leaf.get("ExtKeyUsage")).isEqualTo(json("[1]"));
        assertThat(leaf.get("SerialNumber")).isEqualTo(NumberValue.of(42));
        assertThat(leaf.get("NotAfter")).isEqualTo(StringValue.of("2023-11-15T22:13:20Z"));
        assertThat(((ObjectValue) certs.get(0)).get("IsCA")).isEqualTo(BooleanValue.TRUE);
        assertThat(((ObjectValue) certs.get(0)).get("MaxPathLen")).isEqualTo(NumberValue.of(-1));
    }

    @Test
    void chainVerifiesOnlyAtTheEvaluationTimeWithinValidity() {
        StringValue chain = StringValue.of(caPem + leafPem);
        Value ok = at(NOW_NS, "crypto.x509.parse_and_verify_certificates", chain);
        assertThat(verified(ok)).isTrue();
        assertThat(((ArrayValue) ((ArrayValue) ok).get(1)).size()).isEqualTo(2);
        // Two days later the leaf has expired: judged at the evaluation's now, not the machine clock.
        assertThat(verified(at(NOW_NS + 2 * DAY_MS * 1_000_000L, "crypto.x509.parse_and_verify_certificates", chain)))
                .isFalse();
        // A leaf presented with a root that did not sign it.
        assertThat(verified(
                        at(NOW_NS, "crypto.x509.parse_and_verify_certificates", StringValue.of(otherCaPem + leafPem))))
                .isFalse();
        // A lone certificate cannot be verified.
        assertThat(verified(at(NOW_NS, "crypto.x509.parse_and_verify_certificates", StringValue.of(leafPem))))
                .isFalse();
    }

    @Test
    void verifyOptionsNameHostUsageAndTime() {
        StringValue chain = StringValue.of(caPem + leafPem);
        String fn = "crypto.x509.parse_and_verify_certificates_with_options";
        assertThat(verified(at(NOW_NS, fn, chain, json("{\"DNSName\": \"svc.local\"}"))))
                .isTrue();
        assertThat(verified(at(NOW_NS, fn, chain, json("{\"DNSName\": \"evil.example\"}"))))
                .isFalse();
        assertThat(verified(at(NOW_NS, fn, chain, json("{\"KeyUsages\": [\"KeyUsageClientAuth\"]}"))))
                .isFalse();
        assertThat(verified(at(NOW_NS, fn, chain, json("{\"KeyUsages\": [\"KeyUsageAny\"]}"))))
                .isTrue();
        assertThat(verified(at(0, fn, chain, json("{\"CurrentTime\": " + NOW_NS + "}"))))
                .isTrue();
        assertThatThrownBy(() -> at(NOW_NS, fn, chain, json("{\"KeyUsages\": [\"Nope\"]}")))
                .hasMessage("invalid entries for 'KeyUsages' found: [Nope]");
        assertThatThrownBy(() -> at(NOW_NS, fn, chain, json("{\"Foo\": 1}"))).hasMessage("invalid key option");
    }

    @Test
    void privateKeysAndKeyPairs() {
        PrivateKey leafKey = leafKeys.getPrivate();
        String keyPem = pem("PRIVATE KEY", leafKey.getEncoded());
        ArrayValue keys = (ArrayValue) at(NOW_NS, "crypto.parse_private_keys", StringValue.of(keyPem + keyPem));
        assertThat(keys.size()).isEqualTo(2);
        assertThat(((ObjectValue) keys.get(0)).get("D")).isInstanceOf(NumberValue.class);

        ObjectValue pair =
                (ObjectValue) at(NOW_NS, "crypto.x509.parse_keypair", StringValue.of(leafPem), StringValue.of(keyPem));
        assertThat(((ObjectValue) ((ObjectValue) pair.get("Leaf")).get("Subject")).get("CommonName"))
                .isEqualTo(StringValue.of("svc.local"));
        String caKeyPem = pem("PRIVATE KEY", caKeys.getPrivate().getEncoded());
        assertThatThrownBy(() ->
                        at(NOW_NS, "crypto.x509.parse_keypair", StringValue.of(leafPem), StringValue.of(caKeyPem)))
                .hasMessage("tls: private key does not match public key");
    }

    @Test
    void malformedInputGivesGoErrors() {
        assertThatThrownBy(() -> at(NOW_NS, "crypto.x509.parse_certificates", StringValue.of("Zm9v")))
                .hasMessage("x509: malformed certificate");
        assertThatThrownBy(() -> at(NOW_NS, "crypto.x509.parse_certificates", StringValue.of("not base64!")))
                .hasMessageStartingWith("illegal base64 data at input byte");
        assertThatThrownBy(() -> at(
                        NOW_NS,
                        "crypto.x509.parse_certificates",
                        StringValue.of(pem("PRIVATE KEY", leafKeys.getPrivate().getEncoded()))))
                .hasMessage("PEM block type is 'PRIVATE KEY', expected CERTIFICATE");
    }
}
