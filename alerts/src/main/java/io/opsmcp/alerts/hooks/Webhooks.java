package io.opsmcp.alerts.hooks;

import io.opsmcp.alerts.AlertService;
import io.opsmcp.alerts.AlertSettings;
import io.opsmcp.alerts.ResourceMapping;
import io.opsmcp.guard.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The webhook endpoints ({@code POST /hooks/alertmanager}, {@code /hooks/sns}, {@code /hooks/gitlab}) as one plain
 * request handler, for any HTTP server: the server hands over path, method, headers, declared length and the body
 * stream, and sends back the {@link WebhookResponse}.
 *
 * <p>Order: unknown endpoint 404, not POST 405, a request from a browser ({@code Origin} present) 403, the
 * receiver's header credential (401), the declared and then the actual body size against the receiver's limit
 * (413, the body is read at most one byte past it), the body's parse and signature (400/403). Every refusal from
 * the credential check on is audited ({@link AlertService#refused}); a store that cannot be written answers 503
 * so the sender retries.
 */
public final class Webhooks {

    /** Path prefix of every receiver. */
    public static final String PREFIX = "/hooks/";

    private static final Logger log = LoggerFactory.getLogger(Webhooks.class);

    private final AlertService alerts;
    private final Map<String, Receiver> byEndpoint = new LinkedHashMap<>();

    /**
     * The receivers {@code settings} configures.
     *
     * @param certificates where SNS signing certificates come from ({@link SnsCertificates#pinnedToAws()} in
     *                     production)
     */
    public Webhooks(AlertService alerts, SnsCertificates certificates) {
        this.alerts = alerts;
        AlertSettings settings = alerts.settings();
        ResourceMapping mapping = new ResourceMapping(settings.awsDefaults());
        List<Receiver> receivers = new ArrayList<>();
        settings.alertmanager().ifPresent(h -> receivers.add(new AlertmanagerReceiver(h, mapping)));
        settings.sns().ifPresent(h -> receivers.add(new SnsReceiver(h, mapping, certificates)));
        settings.gitlab().ifPresent(h -> receivers.add(new GitLabReceiver(h)));
        receivers.forEach(r -> byEndpoint.put(r.endpoint(), r));
    }

    /** The paths served. */
    public Set<String> endpoints() {
        return byEndpoint.keySet();
    }

    /**
     * Handles one request.
     *
     * @param path          the request path ({@code /hooks/alertmanager})
     * @param declaredBytes the {@code Content-Length}, or -1 when not declared (chunked)
     * @param body          the body; read at most {@code maxBodyBytes + 1} bytes
     * @param remote        the client's address, for the audit
     */
    public WebhookResponse handle(
            String path, String method, Headers headers, long declaredBytes, InputStream body, String remote) {
        Receiver receiver = byEndpoint.get(path);
        if (receiver == null) {
            return WebhookResponse.error(404, "not_found", "no webhook receiver at " + path);
        }
        if (!"POST".equals(method)) {
            return WebhookResponse.error(405, "method_not_allowed", "webhooks are POSTed");
        }
        try {
            if (headers.first("Origin") != null) {
                throw Refused.forbidden("a webhook request must not come from a browser (Origin header present)");
            }
            receiver.authenticate(headers);
            if (declaredBytes > receiver.maxBodyBytes()) {
                throw tooLarge(receiver);
            }
            byte[] bytes;
            try {
                bytes = body.readNBytes(receiver.maxBodyBytes() + 1);
            } catch (IOException e) {
                return WebhookResponse.error(400, "bad_request", "the body could not be read");
            }
            if (bytes.length > receiver.maxBodyBytes()) {
                throw tooLarge(receiver);
            }
            Receiver.Parsed parsed = receiver.parse(headers, bytes);
            AlertService.Intake intake = alerts.ingest(receiver.endpoint(), parsed.reports(), parsed.ignored());
            ObjectNode out = intake.toJson();
            if (parsed.note() != null) {
                out.put("note", parsed.note());
            }
            return WebhookResponse.ok(out);
        } catch (Refused r) {
            alerts.refused(receiver.source(), receiver.endpoint(), r.status, r.getMessage(), remote);
            WebhookResponse response = WebhookResponse.error(r.status, r.error, r.getMessage());
            return response;
        } catch (StoreException e) {
            log.warn("webhook {}: the store is unavailable: {}", path, e.getMessage());
            return WebhookResponse.error(503, "unavailable", "alerts cannot be stored right now; retry later");
        }
    }

    private static Refused tooLarge(Receiver receiver) {
        return new Refused(
                413,
                "payload_too_large",
                receiver.endpoint() + " accepts bodies up to " + receiver.maxBodyBytes() + " bytes (alerts."
                        + receiver.source().wire() + ".max_body_bytes)");
    }
}
