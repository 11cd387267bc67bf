package io.opsmcp.guard.audit;

import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An audit log in a list, for tests of code that appends to it or asks it for counts; shared with other modules'
 * tests through the guard's test-jar. No hash chain: every entry carries the genesis hash, so there is nothing for
 * {@link #verify()} or {@link #hashAt(long)} to check (the chain itself is tested against the real stores).
 *
 * <p>{@link #down(boolean)} makes every call fail as an unreachable database does ({@link
 * AuditUnavailableException}); {@link #mutations(long)} sets what the count queries answer for any resource and
 * principal. Thread-safe.
 */
public final class RecordingAuditStore implements AuditStore {

    private final List<AuditEntry> entries = new ArrayList<>();
    private final AtomicInteger countQueries = new AtomicInteger();
    private volatile boolean down;
    private volatile long mutations;

    /** Every later call fails with {@link AuditUnavailableException} while {@code down} is true. */
    public RecordingAuditStore down(boolean down) {
        this.down = down;
        return this;
    }

    /** What {@link #countMutations} and the two single counts answer from now on (0 at first). */
    public RecordingAuditStore mutations(long count) {
        this.mutations = count;
        return this;
    }

    /** The events appended so far, in order. */
    public synchronized List<AuditEvent> events() {
        return entries.stream().map(AuditEntry::event).toList();
    }

    /** How many times a mutation count was asked for (each {@link #countMutations} call counts once). */
    public int countQueries() {
        return countQueries.get();
    }

    private void check() {
        if (down) {
            throw new AuditUnavailableException("audit store down", null);
        }
    }

    @Override
    public synchronized AuditEntry append(AuditEvent event, boolean forceToDisk) {
        check();
        AuditEntry e = new AuditEntry(entries.size() + 1, event, AuditEntry.GENESIS_HASH, AuditEntry.GENESIS_HASH);
        entries.add(e);
        return e;
    }

    @Override
    public synchronized List<AuditEntry> tail(int n) {
        check();
        return List.copyOf(entries.subList(Math.max(0, entries.size() - n), entries.size()));
    }

    @Override
    public MutationCounts countMutations(String resourceKey, String principal, Instant since) {
        countQueries.incrementAndGet();
        check();
        return new MutationCounts(mutations, mutations);
    }

    @Override
    public long countMutationsOnResource(String resourceKey, Instant since) {
        return countMutations(resourceKey, "", since).onResource();
    }

    @Override
    public long countMutationsByPrincipal(String principal, Instant since) {
        return countMutations("", principal, since).byPrincipal();
    }

    /** Not recorded: there is no chain to export. */
    @Override
    public void export(Writer out) {
        throw new UnsupportedOperationException("RecordingAuditStore keeps no chain to export");
    }

    /** Not recorded: there is no chain to verify. */
    @Override
    public VerifyResult verify() {
        throw new UnsupportedOperationException("RecordingAuditStore keeps no chain to verify");
    }

    @Override
    public java.util.Optional<String> hashAt(long seq) {
        return java.util.Optional.empty();
    }

    @Override
    public void close() {}
}
