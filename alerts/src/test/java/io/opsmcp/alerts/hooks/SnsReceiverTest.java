package io.opsmcp.alerts.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.opsmcp.alerts.Alert;
import io.opsmcp.alerts.AlertService;
import io.opsmcp.alerts.AlertSettings;
import io.opsmcp.alerts.AlertStore;
import io.opsmcp.guard.audit.AuditEvent;
import io.opsmcp.guard.audit.RecordingAuditStore;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * SNS messages signed the way SNS signs them (SignatureVersion 1 and 2), with a test CA whose signing certificate
 * is served over HTTPS by a local server standing in for {@code sns.<region>.amazonaws.com} (the host pin made to
 * match it through {@link SnsCertificates#forTestsOnlyTrustingHosts}). Forged, unsigned, foreign-topic and
 * foreign-certificate messages are refused and audited; a subscription is confirmed only on a pinned host.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SnsReceiverTest {

    private static final String TOPIC = "arn:aws:sns:eu-west-1:123456789012:ops-alarms";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private HttpsServer server;
    private KeyPair signing;
    private KeyPair attacker;
    private String certUrl;
    private String attackerCertUrl;
    private String subscribeUrl;
    private final AtomicInteger certFetches = new AtomicInteger();
    private final AtomicInteger confirmations = new AtomicInteger();
    private SnsCertificates certificates;

    @BeforeAll
    void serveTheSigningCertificate() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPair ca = rsa.generateKeyPair();
        X509Certificate caCert = certificate("CN=Test SNS CA", ca, "CN=Test SNS CA", ca.getPrivate(), true, false);
        KeyPair tls = rsa.generateKeyPair();
        X509Certificate tlsCert = certificate("CN=127.0.0.1", tls, "CN=Test SNS CA", ca.getPrivate(), false, true);
        signing = rsa.generateKeyPair();
        X509Certificate signingCert =
                certificate("CN=sns.amazonaws.com", signing, "CN=Test SNS CA", ca.getPrivate(), false, false);
        attacker = rsa.generateKeyPair();
        X509Certificate attackerCert = certificate(
                "CN=sns.amazonaws.com", attacker, "CN=sns.amazonaws.com", attacker.getPrivate(), false, false);

        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("tls", tls.getPrivate(), "pw".toCharArray(), new X509Certificate[] {tlsCert, caCert});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, "pw".toCharArray());
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        byte[] pem = pem(signingCert);
        byte[] attackerPem = pem(attackerCert);
        server.createContext("/SimpleNotificationService-test.pem", exchange -> {
            certFetches.incrementAndGet();
            exchange.sendResponseHeaders(200, pem.length);
            exchange.getResponseBody().write(pem);
            exchange.close();
        });
        // what an attacker would like verification to use: a certificate of its own (on the pinned host only in
        // this test, to show that a certificate not issued for SNS... is still only as good as the host pin)
        server.createContext("/attacker.pem", exchange -> {
            exchange.sendResponseHeaders(200, attackerPem.length);
            exchange.getResponseBody().write(attackerPem);
            exchange.close();
        });
        server.createContext("/confirm", exchange -> {
            confirmations.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        String base = "https://127.0.0.1:" + server.getAddress().getPort();
        certUrl = base + "/SimpleNotificationService-test.pem";
        attackerCertUrl = base + "/attacker.pem";
        subscribeUrl = base + "/confirm?Action=ConfirmSubscription&TopicArn=" + TOPIC + "&Token=abc";

        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", caCert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, tmf.getTrustManagers(), null);
        certificates = SnsCertificates.forTestsOnlyTrustingHosts(
                Pattern.compile("^127\\.0\\.0\\.1$"),
                HttpClient.newBuilder().sslContext(clientTls).build());
    }

    @AfterAll
    void stop() {
        server.stop(0);
    }

    private RecordingAuditStore audit;
    private AlertService alerts;

    /** Fresh alerts and audit per test (the HTTPS server and keys are per class). */
    @BeforeEach
    void freshStore() {
        audit = new RecordingAuditStore();
        alerts = new AlertService(
                AlertStore.inMemory(),
                audit,
                AlertSettings.from(
                        JSON.readTree("{\"sns\": {\"topic_arns\": [\"" + TOPIC + "\"], \"max_body_bytes\": 8192}}"),
                        Map.of()),
                Clock.systemUTC());
    }

    private WebhookResponse post(ObjectNode message) {
        byte[] body = JSON.writeValueAsBytes(message);
        // SNS posts text/plain; x-amz-sns-message-type is informational only: the signed Type decides
        return new Webhooks(alerts, certificates)
                .handle(
                        "/hooks/sns",
                        "POST",
                        WebhooksTest.headers(Map.of(
                                "x-amz-sns-message-type", message.path("Type").asString(""))),
                        body.length,
                        new ByteArrayInputStream(body),
                        "54.240.1.1");
    }

    static String alarm(String state) {
        return """
                {"AlarmName": "checkout-memory-high", "AlarmDescription": "checkout memory",
                 "AWSAccountId": "123456789012", "NewStateValue": "%s",
                 "NewStateReason": "Threshold Crossed: 1 datapoint [97.5] was greater than the threshold (90.0).",
                 "StateChangeTime": "2026-12-05T09:00:00.000+0000", "Region": "EU (Ireland)",
                 "AlarmArn": "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:checkout-memory-high",
                 "OldStateValue": "OK",
                 "Trigger": {"MetricName": "MemoryUtilization", "Namespace": "AWS/ECS", "Statistic": "MAXIMUM",
                   "Dimensions": [{"value": "shop", "name": "ClusterName"}, {"value": "checkout", "name": "ServiceName"}],
                   "Period": 60, "EvaluationPeriods": 1, "ComparisonOperator": "GreaterThanThreshold", "Threshold": 90.0}}""".formatted(state);
    }

    /** A notification as SNS sends it, signed with {@code key} over the documented canonical string. */
    private ObjectNode notification(String message, String version, KeyPair key, String cert) throws Exception {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("Type", "Notification");
        m.put("MessageId", "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324");
        m.put("TopicArn", TOPIC);
        m.put("Subject", "ALARM: \"checkout-memory-high\" in EU (Ireland)");
        m.put("Message", message);
        m.put("Timestamp", "2026-12-05T09:00:01.234Z");
        return signed(
                m, List.of("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"), version, key, cert);
    }

    private ObjectNode signed(Map<String, String> m, List<String> fields, String version, KeyPair key, String cert)
            throws Exception {
        StringBuilder canonical = new StringBuilder();
        for (String f : fields) {
            if (m.containsKey(f)) {
                canonical.append(f).append('\n').append(m.get(f)).append('\n');
            }
        }
        Signature s = Signature.getInstance("1".equals(version) ? "SHA1withRSA" : "SHA256withRSA");
        s.initSign(key.getPrivate());
        s.update(canonical.toString().getBytes(StandardCharsets.UTF_8));
        ObjectNode out = JSON.createObjectNode();
        m.forEach(out::put);
        out.put("SignatureVersion", version);
        out.put("Signature", Base64.getEncoder().encodeToString(s.sign()));
        out.put("SigningCertURL", cert);
        out.put("UnsubscribeURL", "https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe");
        return out;
    }

    @Test
    void signedAlarmNotificationsOfBothSignatureVersionsFireAndResolveTheEcsServiceAlert() throws Exception {
        WebhookResponse fired = post(notification(alarm("ALARM"), "1", signing, certUrl));
        assertThat(fired.status()).isEqualTo(200);
        assertThat(fired.body().path("fired").asInt()).isEqualTo(1);
        Alert a = alerts.find(fired.body().path("alerts").get(0).asString()).orElseThrow();
        assertThat(a.resource().kind()).isEqualTo("ecs:service");
        assertThat(a.resource().ids())
                .containsEntry("account_id", "123456789012")
                .containsEntry("region", "eu-west-1")
                .containsEntry("cluster", "shop")
                .containsEntry("service", "checkout");
        assertThat(a.summary()).startsWith("Threshold Crossed");
        assertThat(a.startsAt()).isEqualTo(Instant.parse("2026-12-05T09:00:00Z"));

        WebhookResponse resolved = post(notification(alarm("OK"), "2", signing, certUrl));
        assertThat(resolved.body().path("resolved").asInt()).isEqualTo(1);
        assertThat(alerts.find(a.id()).orElseThrow().status()).isEqualTo(Alert.Status.RESOLVED);
        assertThat(post(notification(alarm("INSUFFICIENT_DATA"), "2", signing, certUrl))
                        .body()
                        .path("ignored")
                        .asInt())
                .isEqualTo(1);
        assertThat(certFetches.get()).as("the certificate is cached").isLessThanOrEqualTo(1);
    }

    @Test
    void forgedUnsignedForeignTopicAndForeignCertificateMessagesAreRefusedAndAudited() throws Exception {
        ObjectNode forged = notification(alarm("ALARM"), "2", signing, certUrl);
        forged.put("Message", alarm("ALARM").replace("checkout", "payments")); // changed after signing
        assertThat(post(forged).status()).isEqualTo(403);

        ObjectNode unsigned = notification(alarm("ALARM"), "2", signing, certUrl);
        unsigned.remove("Signature");
        unsigned.remove("SignatureVersion");
        assertThat(post(unsigned).status()).isEqualTo(403);

        ObjectNode version3 = notification(alarm("ALARM"), "2", signing, certUrl);
        version3.put("SignatureVersion", "3");
        assertThat(post(version3).status()).isEqualTo(403);

        // signed by the attacker's own key, naming the real certificate
        assertThat(post(notification(alarm("ALARM"), "2", attacker, certUrl)).status())
                .isEqualTo(403);
        // signed by the attacker, naming the attacker's certificate on a host that is not pinned: never fetched
        assertThat(post(notification(alarm("ALARM"), "2", attacker, "https://attacker.example/sns.pem"))
                        .status())
                .isEqualTo(403);
        assertThat(post(notification(alarm("ALARM"), "2", attacker, "http://127.0.0.1:1/sns.pem"))
                        .status())
                .isEqualTo(403);

        ObjectNode otherTopic = notification(alarm("ALARM"), "2", signing, certUrl);
        otherTopic.put("TopicArn", "arn:aws:sns:eu-west-1:999999999999:someone-elses");
        assertThat(post(otherTopic).status()).isEqualTo(403);

        assertThat(alerts.list(null, 10)).isEmpty();
        assertThat(audit.events()).hasSize(7).allSatisfy(e -> {
            assertThat(e.phase()).isEqualTo(AuditEvent.Phase.DENIED);
            assertThat(e.principal()).isEqualTo("webhook:sns");
            assertThat(e.reasons().get(0)).startsWith("sns: ");
        });
    }

    @Test
    void aSubscriptionIsConfirmedOnlyWhenSignedAndItsUrlIsOnThePinnedHost() throws Exception {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("Type", "SubscriptionConfirmation");
        m.put("MessageId", "165545c9-2a5c-472c-8df2-7ff2be2b3b1b");
        m.put("Token", "2336412f37fb687f5d51e6e2425e");
        m.put("TopicArn", TOPIC);
        m.put("Message", "You have chosen to subscribe to the topic " + TOPIC);
        m.put("SubscribeURL", subscribeUrl);
        m.put("Timestamp", "2026-12-05T08:00:00.000Z");
        List<String> fields = List.of("Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type");
        WebhookResponse ok = post(signed(m, fields, "2", signing, certUrl));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body().path("note").asString()).contains("confirmed");
        assertThat(confirmations.get()).isEqualTo(1);

        m.put("SubscribeURL", "https://attacker.example/confirm");
        assertThat(post(signed(m, fields, "2", signing, certUrl)).status()).isEqualTo(403);
        ObjectNode forged = signed(Map.copyOf(m), fields, "2", signing, certUrl);
        forged.put("SubscribeURL", subscribeUrl + "&more");
        assertThat(post(forged).status()).isEqualTo(403);
        assertThat(confirmations.get()).isEqualTo(1);
    }

    @Test
    void theProductionPinAcceptsOnlyHttpsSnsHostsOnTheDefaultPort() {
        SnsCertificates aws = SnsCertificates.pinnedToAws();
        assertThat(aws.pinned("https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-abc.pem"))
                .isTrue();
        assertThat(aws.pinned("https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-abc.pem"))
                .isTrue();
        assertThat(aws.pinned("http://sns.eu-west-1.amazonaws.com/x.pem")).isFalse();
        assertThat(aws.pinned("https://sns.eu-west-1.amazonaws.com.evil.example/x.pem"))
                .isFalse();
        assertThat(aws.pinned("https://evil.example/sns.eu-west-1.amazonaws.com/x.pem"))
                .isFalse();
        assertThat(aws.pinned("https://sns.eu-west-1.amazonaws.com:8443/x.pem")).isFalse();
        assertThat(aws.pinned("https://user@sns.eu-west-1.amazonaws.com/x.pem")).isFalse();
        assertThat(aws.pinned("https://s3.eu-west-1.amazonaws.com/x.pem")).isFalse();
        assertThat(aws.pinned(null)).isFalse();
    }

    @Test
    void anOversizedMessageIsRefused() throws Exception {
        ObjectNode big = notification(alarm("ALARM"), "2", signing, certUrl);
        big.put("Padding", "x".repeat(9000));
        assertThat(post(big).status()).isEqualTo(413);
    }

    private static X509Certificate certificate(
            String subject, KeyPair key, String issuer, PrivateKey issuerKey, boolean ca, boolean tlsServer)
            throws Exception {
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(
                new X500Name(issuer),
                BigInteger.valueOf(now.toEpochMilli()).add(BigInteger.valueOf(subject.hashCode() & 0xffff)),
                Date.from(now.minus(1, ChronoUnit.HOURS)),
                Date.from(now.plus(1, ChronoUnit.DAYS)),
                new X500Name(subject),
                key.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (tlsServer) {
            builder.addExtension(
                    Extension.subjectAlternativeName,
                    false,
                    new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        }
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey)));
    }

    private static byte[] pem(X509Certificate cert) throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(cert);
        }
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
