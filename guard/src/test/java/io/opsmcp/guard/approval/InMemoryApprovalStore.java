package io.opsmcp.guard.approval;

import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** An {@link ApprovalStore} in a map, for the rules' unit tests; one lock stands in for the row lock. */
final class InMemoryApprovalStore implements ApprovalStore {

    private final Map<String, Approval> byId = new LinkedHashMap<>();

    @Override
    public synchronized Approval create(Approval pending) {
        byId.put(pending.id(), pending);
        return pending;
    }

    @Override
    public synchronized Optional<Approval> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    @Override
    public synchronized List<Approval> list(EnumSet<Approval.Status> statuses, int limit) {
        return byId.values().stream()
                .filter(a -> statuses.contains(a.status()))
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized Approval vote(
            String id, Approval.Vote vote, Instant now, Function<Approval, Approval.Status> rules) {
        Approval a = find(id).map(x -> effective(x, now))
                .orElseThrow(() -> new ApprovalException("approval " + id + " not found"));
        Approval.Status status = rules.apply(a);
        List<Approval.Vote> votes = new java.util.ArrayList<>(a.votes());
        votes.add(vote);
        Approval after = a.with(status, votes, a.usedAt());
        byId.put(id, after);
        return after;
    }

    @Override
    public synchronized boolean consume(String id, Instant now) {
        Approval a = byId.get(id);
        if (a == null || a.status() != Approval.Status.APPROVED || !now.isBefore(a.expiresAt())) {
            return false;
        }
        byId.put(id, a.with(Approval.Status.USED, a.votes(), now));
        return true;
    }

    private static Approval effective(Approval a, Instant now) {
        boolean open = a.status() == Approval.Status.PENDING || a.status() == Approval.Status.APPROVED;
        if (!open || now.isBefore(a.expiresAt())) {
            return a;
        }
        return a.with(Approval.Status.EXPIRED, a.votes(), a.usedAt());
    }

    @Override
    public void close() {}
}
