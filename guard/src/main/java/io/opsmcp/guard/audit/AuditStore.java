package io.opsmcp.guard.audit;

import java.io.Writer;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The append-only, hash-chained audit log. One chain per database, shared safely by several processes.
 * Every method throws {@link AuditUnavailableException} when the database cannot be reached.
 */
public interface AuditStore extends AutoCloseable {

    /**
     * Appends durably (committed before returning) and returns the stored entry: seq is the previous seq + 1,
     * prev_hash the previous record's hash, hash as described in {@link AuditEntry}. Appends are serialised
     * per chain by a lock row, across threads and replicas.
     *
     * @throws AuditUnavailableException when the record cannot be written; callers must then refuse mutations
     */
    default AuditEntry append(AuditEvent event) {
        return append(event, true);
    }

    /**
     * As {@link #append(AuditEvent)}; with {@code forceToDisk} false the record is committed (and part of the
     * chain at once) but the embedded store does not force it to disk before returning: it reaches the disk with
     * the next forced write or the database's background writer, within a second. A power loss can then lose the
     * newest such records at the end of the chain, never one in the middle. The guard uses this only for
     * outcomes of read-only calls; intent records, decisions and outcomes of changes are always forced.
     */
    AuditEntry append(AuditEvent event, boolean forceToDisk);

    /** The last {@code n} entries, oldest first (newest last); empty when {@code n <= 0}. */
    List<AuditEntry> tail(int n);

    /** Writes every entry in seq order as JSON lines ({@link AuditEntry#toJson()}), UTF-8 text. */
    void export(Writer out);

    /**
     * Recomputes the chain from the stored columns and names the first seq whose record was edited, deleted
     * (a gap, or records missing at the end against the chain head) or reordered.
     */
    VerifyResult verify();

    /** The stored hash of record {@code seq}, empty when there is no such record. */
    Optional<String> hashAt(long seq);

    /** Records in phase {@code intent} on this resource at or after {@code since}. */
    long countMutationsOnResource(String resourceKey, Instant since);

    /** Records in phase {@code intent} by this principal at or after {@code since}. */
    long countMutationsByPrincipal(String principal, Instant since);

    /**
     * Both counts the circuit breaker gives the policy, {@link #countMutationsOnResource} and
     * {@link #countMutationsByPrincipal}; a store may answer them in one round trip (the guard asks on every call).
     */
    default MutationCounts countMutations(String resourceKey, String principal, Instant since) {
        return new MutationCounts(
                countMutationsOnResource(resourceKey, since), countMutationsByPrincipal(principal, since));
    }

    /**
     * Intent records at or after a time.
     *
     * @param onResource  on the call's resource
     * @param byPrincipal by the caller
     */
    record MutationCounts(long onResource, long byPrincipal) {}

    @Override
    void close();
}
