package io.opsmcp.server.start;

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
 * the store, and one that failed to open fails every method with its error. {@link #close()} is left to the owner of
 * the deferred store.
 */
public final class DeferredApprovalStore implements ApprovalStore {

    private final Supplier<ApprovalStore> store;

    /** @param store the store, typically {@code () -> deferred.get().approvals()} */
    public DeferredApprovalStore(Supplier<ApprovalStore> store) {
        this.store = store;
    }

    @Override
    public Approval create(Approval pending) {
        return store.get().create(pending);
    }

    @Override
    public Optional<Approval> find(String id) {
        return store.get().find(id);
    }

    @Override
    public List<Approval> list(EnumSet<Approval.Status> statuses, int limit) {
        return store.get().list(statuses, limit);
    }

    @Override
    public Approval vote(String id, Approval.Vote vote, Instant now, Function<Approval, Approval.Status> rules) {
        return store.get().vote(id, vote, now, rules);
    }

    @Override
    public boolean consume(String id, Instant now) {
        return store.get().consume(id, now);
    }

    @Override
    public void close() {}
}
