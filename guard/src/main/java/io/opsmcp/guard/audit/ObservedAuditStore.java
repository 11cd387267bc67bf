package io.opsmcp.guard.audit;

import java.io.Writer;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An {@link AuditStore} that tells a listener after each record it appended, so a server can announce that
 * {@code ops://audit/recent} changed. The listener runs on the appending thread after the record is stored; a
 * listener that throws does not undo or fail the append.
 */
public final class ObservedAuditStore implements AuditStore {

    private final AuditStore delegate;
    private final Runnable onAppend;

    /**
     * @param delegate the store that keeps the records
     * @param onAppend runs after every successful append; must be quick (hand work to another thread)
     */
    public ObservedAuditStore(AuditStore delegate, Runnable onAppend) {
        this.delegate = delegate;
        this.onAppend = onAppend;
    }

    @Override
    public AuditEntry append(AuditEvent event, boolean forceToDisk) {
        AuditEntry entry = delegate.append(event, forceToDisk);
        try {
            onAppend.run();
        } catch (RuntimeException ignored) {
            // the record is stored; a failing announcement must not turn that into an error
        }
        return entry;
    }

    @Override
    public List<AuditEntry> tail(int n) {
        return delegate.tail(n);
    }

    @Override
    public void export(Writer out) {
        delegate.export(out);
    }

    @Override
    public VerifyResult verify() {
        return delegate.verify();
    }

    @Override
    public Optional<String> hashAt(long seq) {
        return delegate.hashAt(seq);
    }

    @Override
    public long countMutationsOnResource(String resourceKey, Instant since) {
        return delegate.countMutationsOnResource(resourceKey, since);
    }

    @Override
    public long countMutationsByPrincipal(String principal, Instant since) {
        return delegate.countMutationsByPrincipal(principal, since);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
