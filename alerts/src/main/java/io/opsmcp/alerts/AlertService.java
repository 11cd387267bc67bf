package io.opsmcp.alerts;

import io.opsmcp.guard.audit.AuditEvent;
import io.opsmcp.guard.audit.AuditStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one owner of alert state: deduplicates reports by fingerprint, moves alerts between firing and resolved,
 * links a resolved alert to the audit's changes on its resource, keeps retention bounded, audits every state change
 * and every refused webhook request, and tells listeners (the MCP resource subscriptions) which alert changed.
 *
 * <p>State changes audited (principal {@code webhook:<source>}, auth {@code webhook}, tool the endpoint): a new or
 * re-firing alert and a resolution (with {@code linked_changes}, the audit sequence numbers of the changes made on
 * the resource while it fired). A repeat of a firing alert (Alertmanager resends every {@code repeat_interval})
 * only counts an occurrence.
 */
public final class AlertService {

    private static final Logger log = LoggerFactory.getLogger(AlertService.class);

    private final AlertStore store;
    private final AuditStore audit;
    private final AlertSettings settings;
    private final Clock clock;
    private final Changes changes;
    private final List<Consumer<Alert>> listeners = new CopyOnWriteArrayList<>();

    public AlertService(AlertStore store, AuditStore audit, AlertSettings settings, Clock clock) {
        this.store = store;
        this.audit = audit;
        this.settings = settings;
        this.clock = clock;
        this.changes = new Changes(audit);
    }

    /** Called with the alert after it fired, re-fired or resolved (not on a deduplicated repeat). */
    public void onChange(Consumer<Alert> listener) {
        listeners.add(listener);
    }

    /** The settings (receivers, retention). */
    public AlertSettings settings() {
        return settings;
    }

    /** The audit's changes on alerts' resources. */
    public Changes changes() {
        return changes;
    }

    /**
     * What one webhook request did.
     *
     * @param fired    new or re-firing alerts
     * @param repeated deduplicated repeats of firing alerts
     * @param resolved alerts resolved
     * @param ignored  reports that changed nothing (a resolution of an unknown alert, a state ops-mcp does not
     *                 track such as CloudWatch's INSUFFICIENT_DATA)
     * @param ids      the ids of the alerts that fired, repeated or resolved
     */
    public record Intake(int fired, int repeated, int resolved, int ignored, List<String> ids) {

        public ObjectNode toJson() {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            out.put("fired", fired);
            out.put("repeated", repeated);
            out.put("resolved", resolved);
            out.put("ignored", ignored);
            var a = out.putArray("alerts");
            ids.forEach(a::add);
            return out;
        }
    }

    /**
     * Takes the reports of one authenticated webhook request.
     *
     * @param ignored reports the receiver already recognised as changing nothing
     * @throws io.opsmcp.guard.StoreException or {@link io.opsmcp.guard.audit.AuditUnavailableException} when the
     *                                        store cannot be written (the receiver answers 503; senders retry)
     */
    public synchronized Intake ingest(String endpoint, List<AlertReport> reports, int ignored) {
        Instant now = clock.instant();
        int fired = 0;
        int repeated = 0;
        int resolved = 0;
        List<String> ids = new ArrayList<>();
        List<Alert> changed = new ArrayList<>();
        for (AlertReport r : reports) {
            Optional<Alert> existing = store.findByFingerprint(r.fingerprint());
            Alert next;
            if (existing.isEmpty()) {
                if (r.status() == Alert.Status.RESOLVED) {
                    ignored++;
                    continue;
                }
                next = new Alert(
                        Ids.newAlertId(),
                        r.fingerprint(),
                        r.source(),
                        r.name(),
                        Alert.Status.FIRING,
                        r.severity(),
                        r.summary(),
                        r.labels(),
                        r.resource(),
                        r.startsAt() != null ? r.startsAt() : now,
                        null,
                        now,
                        1,
                        List.of());
                fired++;
                changed.add(next);
            } else {
                Alert a = existing.get();
                if (a.status() == Alert.Status.FIRING && r.status() == Alert.Status.FIRING) {
                    next = copy(a, Alert.Status.FIRING, a.startsAt(), null, now, a.linkedChanges(), r);
                    repeated++;
                } else if (a.status() == Alert.Status.FIRING) {
                    List<Long> linked = changes.on(a.resource(), a.startsAt()).stream()
                            .map(Changes.Change::seq)
                            .toList();
                    next = copy(
                            a,
                            Alert.Status.RESOLVED,
                            a.startsAt(),
                            r.endsAt() != null ? r.endsAt() : now,
                            now,
                            linked,
                            r);
                    resolved++;
                    changed.add(next);
                } else if (r.status() == Alert.Status.FIRING) {
                    next = copy(
                            a, Alert.Status.FIRING, r.startsAt() != null ? r.startsAt() : now, null, now, List.of(), r);
                    fired++;
                    changed.add(next);
                } else {
                    ignored++;
                    continue;
                }
            }
            store.save(next);
            ids.add(next.id());
        }
        for (Alert a : changed) {
            audit.append(AuditEvent.builder(now, "webhook:" + a.source().wire(), AuditEvent.Phase.SUCCEEDED)
                    .auth("webhook")
                    .tool(endpoint, "alerts")
                    .resource(a.resource() == null ? null : policyShape(a.resource()))
                    .args(JsonNodeFactory.instance
                            .objectNode()
                            .put("alert_id", a.id())
                            .put("alert", a.name())
                            .put("status", a.status().wire())
                            .set("linked_changes", a.toJson().get("linked_changes")))
                    .build());
        }
        prune(now);
        for (Alert a : changed) {
            for (Consumer<Alert> l : listeners) {
                try {
                    l.accept(a);
                } catch (RuntimeException e) {
                    log.warn("alert listener failed for {}: {}", a.id(), e.toString());
                }
            }
        }
        return new Intake(fired, repeated, resolved, ignored, ids);
    }

    /**
     * Audits a refused webhook request (principal {@code webhook:<source>}, phase {@code denied}); the reason
     * names the rule broken and never holds the credential presented.
     */
    public void refused(Alert.Source source, String endpoint, int status, String reason, String remote) {
        try {
            audit.append(AuditEvent.builder(clock.instant(), "webhook:" + source.wire(), AuditEvent.Phase.DENIED)
                    .auth("webhook")
                    .tool(endpoint, "alerts")
                    .decision(AuditEvent.PolicyDecision.DENY, List.of(reason))
                    .args(JsonNodeFactory.instance
                            .objectNode()
                            .put("http_status", status)
                            .put("remote", remote))
                    .build());
        } catch (RuntimeException e) {
            log.warn("could not audit a refused {} webhook request: {}", source.wire(), e.toString());
        }
    }

    /** The alert with this id, if stored. */
    public Optional<Alert> find(String id) {
        return id != null && id.matches(Ids.PATTERN) ? store.find(id) : Optional.empty();
    }

    /** Alerts in {@code status} (any when {@code null}), most recently updated first. */
    public List<Alert> list(Alert.Status status, int limit) {
        return store.list(status, limit);
    }

    /** Whether {@code id} has the shape of an alert id. */
    public static boolean isAlertId(String id) {
        return id != null && id.matches(Ids.PATTERN);
    }

    private void prune(Instant now) {
        try {
            store.deleteResolvedBefore(now.minus(settings.retention()));
            store.trimTo(settings.maxAlerts());
        } catch (RuntimeException e) {
            log.warn("alert retention could not be applied: {}", e.toString());
        }
    }

    private static Alert copy(
            Alert a,
            Alert.Status status,
            Instant startsAt,
            Instant endsAt,
            Instant now,
            List<Long> linked,
            AlertReport r) {
        return new Alert(
                a.id(),
                a.fingerprint(),
                a.source(),
                a.name(),
                status,
                r.severity() != null ? r.severity() : a.severity(),
                r.summary() != null ? r.summary() : a.summary(),
                r.labels().isEmpty() ? a.labels() : r.labels(),
                r.resource() != null ? r.resource() : a.resource(),
                startsAt,
                endsAt,
                now,
                a.occurrences() + 1,
                linked);
    }

    /** The resource as the audit's records show resources: provider, kind, name and the ids flattened. */
    static ObjectNode policyShape(AlertResource r) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("provider", r.provider());
        out.put("kind", r.kind());
        out.putNull("environment");
        out.put("name", r.name());
        r.ids().forEach((k, v) -> {
            if (!out.has(k)) {
                out.put(k, v);
            }
        });
        return out;
    }
}
