package io.opsmcp.server.start;

import io.opsmcp.guard.GuardUnavailableException;
import io.opsmcp.guard.approval.Approval;
import io.opsmcp.guard.approval.ApprovalStore;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * An {@link ApprovalStore} opened off the start-up path ({@link io.opsmcp.toolkit.Deferred}): each method waits for
 * the store, and one that failed to open fails every method with {@link GuardUnavailableException} quoting its error.
 * {@link #close()} is left to the owner of the deferred store.
 */
public final class DeferredApprovalStore implements ApprovalStore {

    private final Supplier<ApprovalStore> store;

    /** @param store the store, typically {@code () -> deferred.get().approvals()} */
    public DeferredApprovalStore(Supplier<ApprovalStore> store) {
        this.store = store;
    }

    private ApprovalStore store() {
        try {
            return store.get();
        } catch (RuntimeException e) { // only the opening fails here; the store's own failures come from its methods
            throw new GuardUnavailableException(e);
        }
    }

    @Override
    public Approval create(Approval pending) {
        return store().create(pending);
    }

    @Override
    public Optional<Approval> find(String id) {
        return store().find(id);
    }

    @Override
    public List<Approval> list(EnumSet<Approval.Status> statuses, int limit) {
        return store().list(statuses, limit);
    }

    @Override
    public Approval vote(String id, Approval.Vote vote, Instant now, Function<Approval, Approval.Status> rules) {
        return store().vote(id, vote, now, rules);
    }

    @Override
    public boolean consume(String id, Instant now) {
        return store().consume(id, now);
    }

    @Override
    public void close() {}
}
