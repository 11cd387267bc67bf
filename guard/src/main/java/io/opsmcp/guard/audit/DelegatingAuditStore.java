package io.opsmcp.guard.audit;

import java.io.Writer;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An {@link AuditStore} that passes every operation to another one: the base of decorators that add something around
 * {@link #append(AuditEvent, boolean)} (an announcement, a timer) and must not change anything else. Subclasses
 * override {@code append} and call {@code super.append}.
 */
public abstract class DelegatingAuditStore implements AuditStore {

    private final AuditStore delegate;

    /** @param delegate the store that keeps the records */
    protected DelegatingAuditStore(AuditStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public AuditEntry append(AuditEvent event, boolean forceToDisk) {
        return delegate.append(event, forceToDisk);
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
    public MutationCounts countMutations(String resourceKey, String principal, Instant since) {
        return delegate.countMutations(resourceKey, principal, since);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
