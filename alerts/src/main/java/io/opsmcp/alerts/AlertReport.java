package io.opsmcp.alerts;

import java.time.Instant;
import java.util.Map;

/**
 * One alert as a receiver parsed it from a sender's payload, before deduplication.
 *
 * @param source     the sender
 * @param identity   the sender's own identity of the alert (Alertmanager fingerprint, alarm ARN, project and ref)
 * @param name       the alert's name
 * @param status     firing or resolved
 * @param severity   severity label, or {@code null}
 * @param summary    one line for a human, or {@code null}
 * @param labels     labels / dimensions as sent
 * @param resource   the mapped resource, or {@code null}
 * @param startsAt   the sender's start time, or {@code null} (then: when it arrived)
 * @param endsAt     the sender's end time for a resolved alert, or {@code null}
 */
public record AlertReport(
        Alert.Source source,
        String identity,
        String name,
        Alert.Status status,
        String severity,
        String summary,
        Map<String, String> labels,
        AlertResource resource,
        Instant startsAt,
        Instant endsAt) {

    public AlertReport {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** The deduplication key: hex SHA-256 of source and identity. */
    public String fingerprint() {
        return Ids.sha256Hex(source.wire() + "\n" + identity);
    }
}
