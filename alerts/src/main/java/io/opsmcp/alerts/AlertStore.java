package io.opsmcp.alerts;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where alerts are kept (the same database as approvals and the audit log: {@code store-jdbc}). Each method throws
 * {@link io.opsmcp.guard.StoreException} when the database cannot be reached. Deduplication, state changes and
 * retention are {@link AlertService}'s; the store only keeps what it is given, one row per fingerprint.
 */
public interface AlertStore {

    /** The alert with this id. */
    Optional<Alert> find(String id);

    /** The alert with this fingerprint (see {@link AlertReport#fingerprint()}). */
    Optional<Alert> findByFingerprint(String fingerprint);

    /**
     * Inserts a new alert or replaces the stored one with the same id.
     *
     * @throws io.opsmcp.guard.StoreException also when another alert already holds the fingerprint (a concurrent
     *                                        first report on another replica; the sender retries)
     */
    void save(Alert alert);

    /** Alerts in {@code status} (any status when {@code null}), most recently updated first, at most {@code limit}. */
    List<Alert> list(Alert.Status status, int limit);

    /** Deletes resolved alerts last updated before {@code before}; returns how many. */
    int deleteResolvedBefore(Instant before);

    /** Deletes the least recently updated alerts beyond the newest {@code keep}; returns how many. */
    int trimTo(int keep);

    /** An in-memory store (tests, tools that run without a database). */
    static AlertStore inMemory() {
        return new InMemoryAlertStore();
    }
}
