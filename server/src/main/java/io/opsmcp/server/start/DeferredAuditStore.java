package io.opsmcp.server.start;

import io.opsmcp.guard.GuardUnavailableException;
import io.opsmcp.guard.audit.AuditEntry;
import io.opsmcp.guard.audit.AuditEvent;
import io.opsmcp.guard.audit.AuditStore;
import io.opsmcp.guard.audit.VerifyResult;
import java.io.Writer;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * An {@link AuditStore} opened off the start-up path ({@link io.opsmcp.toolkit.Deferred}): each method waits for the
 * store (an append is never dropped or reordered: it happens when the store is open), and one that failed to open
 * fails every method with {@link GuardUnavailableException} quoting its error, so the guarded call fails closed and
 * its caller is told why. {@link #close()} is left to the owner of the deferred store.
 */
public final class DeferredAuditStore implements AuditStore {

    private final Supplier<AuditStore> store;
    private final RealCallSignal calls;

    /** @param store the store, typically {@code () -> deferred.get().audit()} */
    public DeferredAuditStore(Supplier<AuditStore> store) {
        this(store, new RealCallSignal());
    }

    /**
     * @param store the store, typically {@code () -> deferred.get().audit()}
     * @param calls told of every use before it waits for the store: a use through this store is a real call's (the
     *     guard's circuit-breaker count comes before its policy decision; the warm-up uses the store itself), and
     *     the warm-up stops for it
     */
    public DeferredAuditStore(Supplier<AuditStore> store, RealCallSignal calls) {
        this.store = store;
        this.calls = calls;
    }

    private AuditStore store() {
        calls.begin();
        try {
            return store.get();
        } catch (RuntimeException e) { // only the opening fails here; the store's own failures come from its methods
            throw new GuardUnavailableException(e);
        }
    }

    @Override
    public AuditEntry append(AuditEvent event, boolean forceToDisk) {
        return store().append(event, forceToDisk);
    }

    @Override
    public List<AuditEntry> tail(int n) {
        return store().tail(n);
    }

    @Override
    public void export(Writer out) {
        store().export(out);
    }

    @Override
    public VerifyResult verify() {
        return store().verify();
    }

    @Override
    public Optional<String> hashAt(long seq) {
        return store().hashAt(seq);
    }

    @Override
    public long countMutationsOnResource(String resourceKey, Instant since) {
        return store().countMutationsOnResource(resourceKey, since);
    }

    @Override
    public long countMutationsByPrincipal(String principal, Instant since) {
        return store().countMutationsByPrincipal(principal, since);
    }

    @Override
    public void close() {}
}
