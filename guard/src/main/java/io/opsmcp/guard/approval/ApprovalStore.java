package io.opsmcp.guard.approval;

import io.opsmcp.guard.StoreException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Persistent approvals, shared by every replica that uses the same database (implemented in
 * {@code ops-mcp-store-jdbc}). The store persists; the rules are {@link ApprovalService}'s. Database failures
 * surface as {@link StoreException}.
 */
public interface ApprovalStore extends AutoCloseable {

    /**
     * Stores a new approval exactly as given (validated by {@link ApprovalService#create}: id set, status
     * {@code PENDING}, no votes, times in milliseconds).
     *
     * @return the stored approval
     */
    Approval create(Approval pending);

    /** The approval with this id, with its effective status (EXPIRED when past its expiry). */
    Optional<Approval> find(String id);

    /** Approvals whose effective status is one of {@code statuses}, newest first, at most {@code limit}. */
    List<Approval> list(EnumSet<Approval.Status> statuses, int limit);

    /**
     * Records {@code vote} atomically (one transaction, the approval row locked): reads the approval with its
     * effective status at {@code now}, asks {@code rules} for the status after the vote, then stores the vote and
     * that status. Concurrent votes on one approval are applied one after the other.
     *
     * @param rules the approval rules; they throw {@link ApprovalException} to refuse the vote
     * @return the approval after the vote
     * @throws ApprovalException when the approval does not exist or {@code rules} refused; nothing is recorded then
     */
    Approval vote(String id, Approval.Vote vote, Instant now, Function<Approval, Approval.Status> rules);

    /**
     * Atomically turns an APPROVED approval that has not expired at {@code now} into USED.
     *
     * @return {@code true} for exactly one caller across threads and replicas; {@code false} when the approval
     *         is unknown, not approved, expired or already used
     */
    boolean consume(String id, Instant now);

    @Override
    void close();
}
