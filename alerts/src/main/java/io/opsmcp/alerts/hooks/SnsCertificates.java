package io.opsmcp.alerts.hooks;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The SNS signing certificates, fetched from a message's {@code SigningCertURL} only when that URL is
 * {@code https://sns.<region>.amazonaws.com[.cn]/…} (no other host, port, user info or scheme: a forged message
 * cannot point verification at a certificate of its own), over TLS with the JDK's trust store, and cached by URL
 * (SNS rotates certificates under new URLs). The same pin guards the {@code SubscribeURL} that confirms a
 * subscription.
 */
public final class SnsCertificates {

    /** The SNS endpoints of every partition (AWS docs: "Amazon SNS endpoints and quotas"). */
    static final Pattern AWS_SNS_HOST = Pattern.compile("^sns\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?$");

    private static final int MAX_CERTIFICATE_BYTES = 16 * 1024;
    private static final int MAX_CACHED = 32;
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Pattern hosts;
    private final HttpClient http;
    private final Map<String, X509Certificate> cache = new ConcurrentHashMap<>();

    private SnsCertificates(Pattern hosts, HttpClient http) {
        this.hosts = hosts;
        this.http = http;
    }

    /** Production: hosts pinned to {@code sns.<region>.amazonaws.com[.cn]}, the JDK's trust store. */
    public static SnsCertificates pinnedToAws() {
        return new SnsCertificates(
                AWS_SNS_HOST,
                HttpClient.newBuilder()
                        .connectTimeout(TIMEOUT)
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build());
    }

    /**
     * TESTS ONLY: certificates and subscription URLs from hosts matching {@code hosts} (a local HTTPS server), with
     * {@code http} trusting the test's own CA. No configuration reaches this; only code that builds the webhooks
     * itself (a test) can.
     */
    public static SnsCertificates forTestsOnlyTrustingHosts(Pattern hosts, HttpClient http) {
        return new SnsCertificates(hosts, http);
    }

    /** Whether {@code url} is an https URL on a pinned host, default port, no user info. */
    boolean pinned(String url) {
        if (url == null) {
            return false;
        }
        try {
            URI uri = new URI(url);
            return "https".equals(uri.getScheme())
                    && uri.getRawUserInfo() == null
                    && uri.getHost() != null
                    && hosts.matcher(uri.getHost()).matches()
                    && (uri.getPort() == -1 || hosts != AWS_SNS_HOST);
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    /**
     * The certificate at {@code url}, checked to be currently valid.
     *
     * @throws Refused 403 when the URL is not pinned or the certificate is not an X.509 certificate valid now; 503
     *                 when it cannot be fetched (SNS retries the message)
     */
    X509Certificate get(String url) throws Refused {
        if (!pinned(url)) {
            throw Refused.forbidden("sns: SigningCertURL is not an https URL on an SNS host");
        }
        X509Certificate cert = cache.get(url);
        if (cert == null) {
            cert = fetch(url);
            if (cache.size() >= MAX_CACHED) {
                cache.clear();
            }
            cache.put(url, cert);
        }
        try {
            cert.checkValidity();
        } catch (CertificateException e) {
            cache.remove(url);
            throw Refused.forbidden("sns: the signing certificate is expired or not yet valid");
        }
        return cert;
    }

    /**
     * GETs a pinned {@code SubscribeURL}, confirming the subscription.
     *
     * @throws Refused 403 when the URL is not pinned, 502 when SNS does not answer 200
     */
    void confirm(String subscribeUrl) throws Refused {
        if (!pinned(subscribeUrl)) {
            throw Refused.forbidden("sns: SubscribeURL is not an https URL on an SNS host");
        }
        try {
            HttpResponse<Void> response = http.send(
                    HttpRequest.newBuilder(URI.create(subscribeUrl))
                            .timeout(TIMEOUT)
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() != 200) {
                throw new Refused(
                        502, "bad_gateway", "sns: confirming the subscription got HTTP " + response.statusCode());
            }
        } catch (IOException e) {
            throw new Refused(502, "bad_gateway", "sns: the SubscribeURL could not be reached");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refused(503, "unavailable", "sns: interrupted");
        }
    }

    private X509Certificate fetch(String url) throws Refused {
        try {
            HttpResponse<java.io.InputStream> response = http.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(TIMEOUT)
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            byte[] pem;
            try (var in = response.body()) {
                pem = in.readNBytes(MAX_CERTIFICATE_BYTES + 1);
            }
            if (response.statusCode() != 200 || pem.length > MAX_CERTIFICATE_BYTES) {
                throw new Refused(503, "unavailable", "sns: the signing certificate could not be fetched");
            }
            return (X509Certificate)
                    CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem));
        } catch (CertificateException | ClassCastException e) {
            throw Refused.forbidden("sns: SigningCertURL does not hold an X.509 certificate");
        } catch (IOException e) {
            throw new Refused(503, "unavailable", "sns: the signing certificate could not be fetched");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refused(503, "unavailable", "sns: interrupted");
        }
    }
}
