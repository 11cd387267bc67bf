package io.opsmcp.app;

import io.opsmcp.guard.policy.EmbeddedPolicyEngine;
import io.opsmcp.rego.bundle.Bundle;
import io.opsmcp.rego.bundle.BundleLoader;
import io.opsmcp.rego.value.Values;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The demo's Alertmanager: posts a webhook v4 payload for checkout's memory to {@code /hooks/alertmanager} (firing,
 * later resolved) with the receiver's bearer token, and collects the {@code notifications/resources/updated} the
 * demo's client receives, so each step can wait (bounded) for the one it expects.
 */
final class AlertLoop {

    static final String ACTIVE = "ops://alerts/active";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String baseUrl;
    private final String token;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newHttpClient();
    private final BlockingQueue<String> updates = new LinkedBlockingQueue<>();
    private final Instant startsAt = Instant.now();

    AlertLoop(String baseUrl, String token, PrintStream out) {
        this.baseUrl = baseUrl;
        this.token = token;
        this.out = out;
    }

    /** The client's resource-updated consumer. */
    void notified(String uri) {
        updates.add(uri);
    }

    /** Waits up to 15 s for an update of {@code uri}; prints it. */
    boolean awaitNotified(String uri) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        try {
            for (String u = updates.poll(15, TimeUnit.SECONDS);
                    u != null;
                    u = updates.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                if (u.equals(uri)) {
                    out.println("  < notifications/resources/updated " + uri);
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /** Posts the firing alert; returns its id, or {@code null} when refused. */
    String fire() {
        return post("firing").path("alerts").path(0).asString(null);
    }

    void resolve() {
        post("resolved");
    }

    private ObjectNode post(String status) {
        String body = """
                {"version": "4", "status": "%1$s", "receiver": "ops-mcp", "groupLabels": {"alertname": "ContainerMemoryHigh"},
                 "commonLabels": {}, "commonAnnotations": {}, "externalURL": "http://alertmanager:9093",
                 "alerts": [{"status": "%1$s",
                   "labels": {"alertname": "ContainerMemoryHigh", "severity": "critical", "cluster": "shop", "service": "checkout"},
                   "annotations": {"summary": "checkout containers above 95%% of their memory limit"},
                   "startsAt": "%2$s", "endsAt": "%3$s", "fingerprint": "8f0c5e2a1b3d4c6e"}]}""".formatted(
                status, startsAt, status.equals("resolved") ? Instant.now().toString() : "0001-01-01T00:00:00Z");
        out.printf(
                "%n$ POST /hooks/alertmanager  (Alertmanager webhook v4: ContainerMemoryHigh %s on shop/checkout)%n",
                status);
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(baseUrl + "/hooks/alertmanager"))
                            .header("Authorization", "Bearer " + token)
                            .header("Content-Type", "application/json")
                            .timeout(Duration.ofSeconds(30))
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            out.println("  HTTP " + r.statusCode() + " " + r.body());
            return r.statusCode() == 200 ? (ObjectNode) JSON.readTree(r.body()) : JSON.createObjectNode();
        } catch (IOException e) {
            out.println("  !! " + e.getMessage());
            return JSON.createObjectNode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return JSON.createObjectNode();
        }
    }

    static String newToken() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    static String sha256Hex(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The shipped policy bundle written to {@code dir} with the circuit breaker at {@code limit}. */
    static Path breakerBundle(Path dir, int limit) throws IOException {
        Bundle bundle =
                BundleLoader.fromClasspath(EmbeddedPolicyEngine.DEFAULT_BUNDLE, AlertLoop.class.getClassLoader());
        for (Map.Entry<String, String> m : bundle.modules().entrySet()) {
            Path file = dir.resolve(m.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, m.getValue());
        }
        ObjectNode data = (ObjectNode) Values.toJson(bundle.data()).get("opsmcp");
        ((ObjectNode) data.path("circuit_breaker")).put("max_mutations_per_resource_per_hour", limit);
        Files.createDirectories(dir.resolve("opsmcp"));
        Files.writeString(dir.resolve("opsmcp/data.json"), JSON.writeValueAsString(data));
        Files.writeString(
                dir.resolve(".manifest"),
                "{\"revision\": \"opsmcp-demo-breaker-" + limit + "\", \"roots\": [\"opsmcp\"], \"rego_version\": 1}");
        return dir;
    }
}
