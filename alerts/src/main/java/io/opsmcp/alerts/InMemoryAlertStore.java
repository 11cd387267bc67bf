package io.opsmcp.alerts;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link AlertStore#inMemory()}: a synchronized map; for tests and for a server without a database. */
final class InMemoryAlertStore implements AlertStore {

    private final Map<String, Alert> byId = new LinkedHashMap<>();

    @Override
    public synchronized Optional<Alert> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    @Override
    public synchronized Optional<Alert> findByFingerprint(String fingerprint) {
        return byId.values().stream()
                .filter(a -> a.fingerprint().equals(fingerprint))
                .findFirst();
    }

    @Override
    public synchronized void save(Alert alert) {
        byId.values().stream()
                .filter(a -> a.fingerprint().equals(alert.fingerprint()) && !a.id().equals(alert.id()))
                .findFirst()
                .ifPresent(a -> {
                    throw new io.opsmcp.guard.StoreException("alert fingerprint already stored as " + a.id(), null);
                });
        byId.put(alert.id(), alert);
    }

    @Override
    public synchronized List<Alert> list(Alert.Status status, int limit) {
        return byId.values().stream()
                .filter(a -> status == null || a.status() == status)
                .sorted(Comparator.comparing(Alert::updatedAt).reversed())
                .limit(Math.max(0, limit))
                .toList();
    }

    @Override
    public synchronized int deleteResolvedBefore(Instant before) {
        int n = byId.size();
        byId.values()
                .removeIf(a ->
                        a.status() == Alert.Status.RESOLVED && a.updatedAt().isBefore(before));
        return n - byId.size();
    }

    @Override
    public synchronized int trimTo(int keep) {
        List<Alert> oldest = byId.values().stream()
                .sorted(Comparator.comparing(Alert::updatedAt).reversed())
                .skip(Math.max(0, keep))
                .toList();
        oldest.forEach(a -> byId.remove(a.id()));
        return oldest.size();
    }
}
