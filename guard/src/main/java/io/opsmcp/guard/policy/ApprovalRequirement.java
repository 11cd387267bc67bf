package io.opsmcp.guard.policy;

import java.time.Duration;
import java.util.List;

/**
 * What a human approval must look like before a call may run, as the policy decided it.
 *
 * @param minApprovals      distinct approving principals needed (≥ 1)
 * @param approverRoles     an approver must hold one of these roles (empty: any role)
 * @param allowSelfApproval whether the requester may approve their own call
 * @param ttl               how long the request stays valid
 */
public record ApprovalRequirement(
        int minApprovals, List<String> approverRoles, boolean allowSelfApproval, Duration ttl) {
    public ApprovalRequirement {
        approverRoles = List.copyOf(approverRoles);
        if (minApprovals < 1) {
            throw new IllegalArgumentException("min_approvals must be at least 1");
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl_seconds must be positive");
        }
    }
}
