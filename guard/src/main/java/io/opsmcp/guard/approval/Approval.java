package io.opsmcp.guard.approval;

import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A request for human approval of one tool call, bound to the tool, the digest of its arguments and the
 * requesting principal; single use.
 *
 * @param id                {@code apr_} followed by 26 lowercase base32 characters (130 random bits)
 * @param tool              tool name
 * @param argsDigest        hex SHA-256 of the RFC 8785 canonical JSON of the arguments without
 *                          {@code approval_id} (see {@link CanonicalJson#sha256Hex(JsonNode)})
 * @param requester         principal id that asked
 * @param resource          the resource the call would touch, or {@code null}
 * @param changeSummary     human-readable preview of the change, or {@code null}
 * @param minApprovals      distinct approving voters needed, at least 1
 * @param approverRoles     a voter needs one of these roles; an empty list means nobody can vote
 * @param allowSelfApproval whether the requester may vote on their own request
 * @param createdAt         creation time (stored to the millisecond)
 * @param expiresAt         after this instant the approval can neither be voted on nor used
 * @param status            effective status: a pending or approved request past its expiry reads as
 *                          {@link Status#EXPIRED}
 * @param votes             votes in the order they were cast
 * @param usedAt            when it was consumed, or {@code null}
 * @param reasons           the policy's reasons for requiring approval, joined into one text
 */
public record Approval(
        String id,
        String tool,
        String argsDigest,
        String requester,
        JsonNode resource,
        String changeSummary,
        int minApprovals,
        List<String> approverRoles,
        boolean allowSelfApproval,
        Instant createdAt,
        Instant expiresAt,
        Status status,
        List<Vote> votes,
        Instant usedAt,
        String reasons) {

    /** Lifecycle: PENDING → APPROVED → USED, or PENDING → DENIED; PENDING/APPROVED → EXPIRED by time. */
    public enum Status {
        PENDING,
        APPROVED,
        DENIED,
        USED,
        EXPIRED
    }

    /**
     * One principal's vote.
     *
     * @param principal voter id
     * @param roles     the voter's roles when voting
     * @param approve   {@code true} to approve, {@code false} to deny
     * @param reason    free text, or {@code null}
     * @param at        when the vote was cast (stored to the millisecond)
     */
    public record Vote(String principal, List<String> roles, boolean approve, String reason, Instant at) {
        public Vote {
            roles = roles == null ? List.of() : List.copyOf(roles);
        }
    }

    public Approval {
        approverRoles = approverRoles == null ? List.of() : List.copyOf(approverRoles);
        votes = votes == null ? List.of() : List.copyOf(votes);
        if (resource != null && (resource.isNull() || resource.isMissingNode())) {
            resource = null;
        }
    }

    /** The same approval in another state: after a vote ({@code votes} with it), on use, or expired. */
    public Approval with(Status newStatus, List<Vote> newVotes, Instant newUsedAt) {
        return new Approval(
                id,
                tool,
                argsDigest,
                requester,
                resource,
                changeSummary,
                minApprovals,
                approverRoles,
                allowSelfApproval,
                createdAt,
                expiresAt,
                newStatus,
                newVotes,
                newUsedAt,
                reasons);
    }

    /** Principals who voted to approve, in voting order. */
    public List<String> approvers() {
        return votes.stream().filter(Vote::approve).map(Vote::principal).toList();
    }
}
