package io.opsmcp.alerts.hooks;

import io.opsmcp.alerts.Alert;
import io.opsmcp.alerts.AlertReport;
import io.opsmcp.alerts.AlertSettings;
import io.opsmcp.alerts.ResourceMapping;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Prometheus Alertmanager's webhook receiver ({@code webhook_config}, payload {@code "version": "4"}: {@code status},
 * {@code receiver}, {@code groupLabels}, {@code commonLabels}, {@code alerts[]} each with {@code status},
 * {@code labels}, {@code annotations}, {@code startsAt}, {@code endsAt}, {@code fingerprint}). Authenticated by
 * {@code Authorization: Bearer} (Alertmanager's {@code http_config.authorization.credentials}) or Basic
 * ({@code http_config.basic_auth}, RFC 7617), compared in constant time.
 */
final class AlertmanagerReceiver implements Receiver {

    /** Alerts accepted per request (Alertmanager's {@code max_alerts} truncates above its own setting). */
    static final int MAX_ALERTS = 1_000;

    private static final Pattern BEARER = Pattern.compile("^Bearer +(\\S+) *$", Pattern.CASE_INSENSITIVE);
    private static final Pattern BASIC = Pattern.compile("^Basic +([A-Za-z0-9+/=]+) *$", Pattern.CASE_INSENSITIVE);

    private final AlertSettings.AlertmanagerHook hook;
    private final ResourceMapping mapping;

    AlertmanagerReceiver(AlertSettings.AlertmanagerHook hook, ResourceMapping mapping) {
        this.hook = hook;
        this.mapping = mapping;
    }

    @Override
    public Alert.Source source() {
        return Alert.Source.ALERTMANAGER;
    }

    @Override
    public int maxBodyBytes() {
        return hook.maxBodyBytes();
    }

    @Override
    public void authenticate(Headers headers) throws Refused {
        String authorization = headers.first("Authorization");
        if (authorization == null) {
            throw new Refused(401, "unauthorized", "alertmanager: no Authorization header");
        }
        boolean ok;
        if (hook.bearerToken() != null) {
            Matcher m = BEARER.matcher(authorization);
            ok = m.matches() && hook.bearerToken().matches(m.group(1));
        } else {
            Matcher m = BASIC.matcher(authorization);
            ok = false;
            if (m.matches()) {
                String pair;
                try {
                    pair = new String(Base64.getDecoder().decode(m.group(1)), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    pair = "";
                }
                int colon = pair.indexOf(':');
                // both halves compared, whatever the first gives, so timing does not tell a right user name
                boolean user = colon > 0
                        && java.security.MessageDigest.isEqual(
                                pair.substring(0, colon).getBytes(StandardCharsets.UTF_8),
                                hook.basicUser().getBytes(StandardCharsets.UTF_8));
                boolean password = colon > 0 && hook.basicPassword().matches(pair.substring(colon + 1));
                ok = user & password;
            }
        }
        if (!ok) {
            throw new Refused(401, "unauthorized", "alertmanager: invalid credentials");
        }
    }

    @Override
    public Parsed parse(Headers headers, byte[] body) throws Refused {
        JsonNode payload = Payloads.parse(body, "alertmanager");
        if (!"4".equals(payload.path("version").asString(""))) {
            throw Refused.badRequest("alertmanager: version must be \"4\" (the webhook_config payload)");
        }
        JsonNode alerts = payload.path("alerts");
        if (!alerts.isArray()) {
            throw Refused.badRequest("alertmanager: alerts must be an array");
        }
        if (alerts.size() > MAX_ALERTS) {
            throw Refused.badRequest("alertmanager: at most " + MAX_ALERTS + " alerts per request (set max_alerts)");
        }
        List<AlertReport> reports = new ArrayList<>();
        for (int i = 0; i < alerts.size(); i++) {
            JsonNode a = alerts.get(i);
            String status = a.path("status").asString("");
            if (!status.equals("firing") && !status.equals("resolved")) {
                throw Refused.badRequest("alertmanager: alerts[" + i + "].status must be firing or resolved");
            }
            if (!a.path("labels").isObject()) {
                throw Refused.badRequest("alertmanager: alerts[" + i + "].labels must be an object");
            }
            Map<String, String> labels = Payloads.labels(a.path("labels"));
            JsonNode annotations = a.path("annotations");
            String summary = Payloads.text(annotations, "summary");
            if (summary == null) {
                summary = Payloads.text(annotations, "description");
            }
            String fingerprint = Payloads.text(a, "fingerprint");
            if (fingerprint == null) {
                // Alertmanager's own fingerprint is a hash of the label set: the sorted labels identify it as well
                fingerprint = new TreeMap<>(labels).toString();
            }
            Alert.Status st = status.equals("firing") ? Alert.Status.FIRING : Alert.Status.RESOLVED;
            Instant endsAt = st == Alert.Status.RESOLVED ? Payloads.time(Payloads.text(a, "endsAt")) : null;
            reports.add(new AlertReport(
                    Alert.Source.ALERTMANAGER,
                    fingerprint,
                    labels.getOrDefault("alertname", "alert"),
                    st,
                    labels.get("severity"),
                    summary,
                    labels,
                    mapping.map(labels),
                    Payloads.time(Payloads.text(a, "startsAt")),
                    endsAt));
        }
        return new Parsed(reports, 0, null);
    }
}
