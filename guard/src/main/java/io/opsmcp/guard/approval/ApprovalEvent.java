package io.opsmcp.guard.approval;

import java.time.Instant;
import java.util.Objects;

/**
 * One step in an approval's lifecycle, announced to {@link ApprovalListener}s after the store committed it.
 *
 * @param type     what happened
 * @param approval the approval after the step (status, votes)
 * @param vote     the vote that caused a {@link Type#VOTED}, {@link Type#APPROVED} or {@link Type#DENIED}; otherwise
 *                 {@code null}
 * @param at       when it happened
 */
public record ApprovalEvent(Type type, Approval approval, Approval.Vote vote, Instant at) {

    /** The lifecycle steps: see {@link Approval.Status}. */
    public enum Type {
        /** A call needed approval; the request is pending. */
        REQUESTED,
        /** An approving vote that did not yet reach {@code min_approvals}. */
        VOTED,
        /** The approving votes reached {@code min_approvals}. */
        APPROVED,
        /** A voter denied. */
        DENIED,
        /** The approved call ran (the approval was consumed). */
        USED,
        /** The request passed its expiry before it was used. */
        EXPIRED
    }

    public ApprovalEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(approval, "approval");
        Objects.requireNonNull(at, "at");
    }
}
