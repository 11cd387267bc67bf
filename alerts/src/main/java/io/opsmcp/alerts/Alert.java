package io.opsmcp.alerts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One stored alert: the latest state of everything one sender reported under one fingerprint.
 *
 * @param id            {@code alt_} and 26 letters and digits, assigned when the fingerprint is first seen
 * @param fingerprint   hex SHA-256 of the source and the sender's own identity of the alert (Alertmanager's
 *                      fingerprint, the CloudWatch alarm ARN, the GitLab project and ref): the deduplication key
 * @param source        who reported it
 * @param name          the alert's name ({@code alertname}, the alarm name, {@code pipeline failed})
 * @param status        firing or resolved
 * @param severity      the sender's severity label, or {@code null}
 * @param summary       one line for a human (annotation {@code summary}/{@code description}, the alarm's reason)
 * @param labels        the sender's labels / dimensions, as given (bounded by the receiver)
 * @param resource      the resource the policy knows that it maps to, or {@code null} when none could be derived
 * @param startsAt      when the current firing episode began (the sender's time when it gives one)
 * @param endsAt        when it resolved, {@code null} while firing
 * @param updatedAt     when a report last changed or repeated it
 * @param occurrences   how many reports of this fingerprint arrived (deduplicated repeats included)
 * @param linkedChanges audit sequence numbers of the changes on the resource between start and resolution
 */
public record Alert(
        String id,
        String fingerprint,
        Source source,
        String name,
        Status status,
        String severity,
        String summary,
        Map<String, String> labels,
        AlertResource resource,
        Instant startsAt,
        Instant endsAt,
        Instant updatedAt,
        long occurrences,
        List<Long> linkedChanges) {

    /** The senders ops-mcp receives alerts from. */
    public enum Source {
        ALERTMANAGER,
        SNS,
        GITLAB;

        /** {@code alertmanager}, {@code sns}, {@code gitlab}. */
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Source fromWire(String text) {
            return valueOf(text.toUpperCase(Locale.ROOT));
        }
    }

    /** Firing until the sender says it resolved. */
    public enum Status {
        FIRING,
        RESOLVED;

        /** {@code firing}, {@code resolved}. */
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Status fromWire(String text) {
            return valueOf(text.toUpperCase(Locale.ROOT));
        }
    }

    public Alert {
        labels = labels == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
        linkedChanges = linkedChanges == null ? List.of() : List.copyOf(linkedChanges);
    }

    /** The MCP resource URI of this alert. */
    public String uri() {
        return "ops://alerts/" + id;
    }

    /** This alert as JSON (snake_case), the shape of the tools' results, the resources and the store. */
    public ObjectNode toJson() {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("id", id);
        out.put("uri", uri());
        out.put("fingerprint", fingerprint);
        out.put("source", source.wire());
        out.put("name", name);
        out.put("status", status.wire());
        out.put("severity", severity);
        out.put("summary", summary);
        ObjectNode l = out.putObject("labels");
        labels.forEach(l::put);
        if (resource != null) {
            out.set("resource", resource.toJson());
        } else {
            out.putNull("resource");
        }
        out.put("starts_at", startsAt == null ? null : startsAt.toString());
        out.put("ends_at", endsAt == null ? null : endsAt.toString());
        out.put("updated_at", updatedAt.toString());
        out.put("occurrences", occurrences);
        var linked = out.putArray("linked_changes");
        linkedChanges.forEach(linked::add);
        return out;
    }

    /** Reads {@link #toJson()} back (the store keeps that text). */
    public static Alert fromJson(JsonNode json) {
        Map<String, String> labels = new LinkedHashMap<>();
        json.path("labels")
                .properties()
                .forEach(e -> labels.put(e.getKey(), e.getValue().asString()));
        List<Long> linked = new ArrayList<>();
        json.path("linked_changes").forEach(n -> linked.add(n.asLong()));
        JsonNode resource = json.path("resource");
        return new Alert(
                json.path("id").asString(),
                json.path("fingerprint").asString(),
                Source.fromWire(json.path("source").asString()),
                json.path("name").asString(),
                Status.fromWire(json.path("status").asString()),
                text(json, "severity"),
                text(json, "summary"),
                labels,
                resource.isObject() ? AlertResource.fromJson(resource) : null,
                instant(json, "starts_at"),
                instant(json, "ends_at"),
                instant(json, "updated_at"),
                json.path("occurrences").asLong(),
                linked);
    }

    private static String text(JsonNode json, String field) {
        JsonNode n = json.path(field);
        return n.isString() ? n.asString() : null;
    }

    private static Instant instant(JsonNode json, String field) {
        String t = text(json, field);
        return t == null ? null : Instant.parse(t);
    }
}
