package io.opsmcp.server.start;

import io.opsmcp.alerts.Alert;
import io.opsmcp.alerts.AlertStore;
import io.opsmcp.guard.GuardUnavailableException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * An {@link AlertStore} opened off the start-up path with the other stores ({@link io.opsmcp.toolkit.Deferred}): each
 * method waits for the store, and one that failed to open fails every method with {@link GuardUnavailableException}
 * quoting its error (a store exception: a webhook then answers 503 and its sender retries).
 */
public final class DeferredAlertStore implements AlertStore {

    private final Supplier<AlertStore> store;

    /** @param store the store, typically {@code () -> deferred.get().stores().alerts()} */
    public DeferredAlertStore(Supplier<AlertStore> store) {
        this.store = store;
    }

    private AlertStore store() {
        try {
            return store.get();
        } catch (RuntimeException e) { // only the opening fails here; the store's own failures come from its methods
            throw new GuardUnavailableException(e);
        }
    }

    @Override
    public Optional<Alert> find(String id) {
        return store().find(id);
    }

    @Override
    public Optional<Alert> findByFingerprint(String fingerprint) {
        return store().findByFingerprint(fingerprint);
    }

    @Override
    public void save(Alert alert) {
        store().save(alert);
    }

    @Override
    public List<Alert> list(Alert.Status status, int limit) {
        return store().list(status, limit);
    }

    @Override
    public int deleteResolvedBefore(Instant before) {
        return store().deleteResolvedBefore(before);
    }

    @Override
    public int trimTo(int keep) {
        return store().trimTo(keep);
    }
}
