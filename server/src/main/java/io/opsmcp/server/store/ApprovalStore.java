package io.opsmcp.server.store;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/**
 * Persistent approvals, shared by every replica that uses the same database. Database failures surface as
 * {@link StoreException}; broken approval rules as {@link ApprovalException}.
 */
public interface ApprovalStore extends AutoCloseable {

    /**
     * Stores a new pending request. The store sets status {@code PENDING}, no votes, no {@code usedAt}, and
     * assigns a fresh id when {@code pending.id()} is {@code null}; times are truncated to milliseconds.
     *
     * @return the stored approval
     * @throws IllegalArgumentException naming the field when a required field is missing or out of range
     */
    Approval create(Approval pending);

    /** The approval with this id, with its effective status (EXPIRED when past its expiry). */
    Optional<Approval> find(String id);

    /** Approvals whose effective status is one of {@code statuses}, newest first, at most {@code limit}. */
    List<Approval> list(EnumSet<Approval.Status> statuses, int limit);

    /**
     * Records a vote, applying the rules atomically (one transaction, the approval row locked): the approval
     * exists, is pending and not expired at {@code now}; the voter has not voted on it yet; the voter has one
     * of its approver roles; the voter is not the requester unless self-approval is allowed. The status
     * becomes APPROVED when the distinct approving voters reach {@code minApprovals}, DENIED on any deny.
     *
     * @return the approval after the vote
     * @throws ApprovalException naming the broken rule; nothing is recorded then
     */
    Approval vote(String id, String principal, List<String> roles, boolean approve, String reason, Instant now);

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
