package io.opsmcp.guard.policy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A policy decision on one call: allow, deny, or "a human must approve first". Parsed from the policy's
 * {@code data.opsmcp.authz.decision} document (shape in {@code policies/README.md}); a document
 * that does not match that shape is a {@link Deny} with reason {@value #INVALID}, so a broken policy fails
 * closed.
 */
public sealed interface Decision permits Decision.Allow, Decision.Deny, Decision.NeedsApproval {

    /** Reason given when the policy's answer does not match the decision schema. */
    String INVALID = "invalid decision";
    /** Reason given when no answer could be had from the policy engine. */
    String UNAVAILABLE = "policy engine unavailable";

    /** Human-readable reasons, for the client and the audit log. */
    List<String> reasons();

    record Allow(List<String> reasons) implements Decision {
        public Allow {
            reasons = List.copyOf(reasons);
        }
    }

    record Deny(List<String> reasons) implements Decision {
        public Deny {
            reasons = List.copyOf(reasons);
        }
    }

    record NeedsApproval(List<String> reasons, ApprovalRequirement requirement) implements Decision {
        public NeedsApproval {
            reasons = List.copyOf(reasons);
        }
    }

    /** A deny with one reason. */
    static Decision deny(String reason) {
        return new Deny(List.of(reason));
    }

    /**
     * Parses a decision document. {@code allow} must be a boolean, {@code reasons} an array of strings
     * (non-empty unless allowed), {@code approval} absent/null or an object; when {@code approval.required} is
     * true, {@code min_approvals} (integer ≥ 1), {@code approver_roles} (array of strings),
     * {@code allow_self_approval} (boolean) and {@code ttl_seconds} (integer > 0) are required. An allow that
     * also requires approval is read as needing approval.
     *
     * @param document the value of {@code data.opsmcp.authz.decision}, or {@code null} when undefined
     */
    static Decision fromDocument(JsonNode document) {
        if (document == null || !document.isObject()) {
            return deny(INVALID);
        }
        JsonNode allow = document.get("allow");
        JsonNode reasonsNode = document.get("reasons");
        if (allow == null || !allow.isBoolean()) {
            return deny(INVALID);
        }
        List<String> reasons = new ArrayList<>();
        if (reasonsNode != null && !reasonsNode.isNull()) {
            if (!reasonsNode.isArray()) {
                return deny(INVALID);
            }
            for (JsonNode r : reasonsNode) {
                if (!r.isString()) {
                    return deny(INVALID);
                }
                reasons.add(r.asString());
            }
        }
        JsonNode approval = document.get("approval");
        boolean required = false;
        ApprovalRequirement requirement = null;
        if (approval != null && !approval.isNull()) {
            if (!approval.isObject() || !approval.path("required").isBoolean()) {
                return deny(INVALID);
            }
            required = approval.get("required").asBoolean();
            if (required) {
                JsonNode min = approval.get("min_approvals");
                JsonNode roles = approval.get("approver_roles");
                JsonNode self = approval.get("allow_self_approval");
                JsonNode ttl = approval.get("ttl_seconds");
                if (min == null
                        || !min.isIntegralNumber()
                        || min.asInt() < 1
                        || roles == null
                        || !roles.isArray()
                        || self == null
                        || !self.isBoolean()
                        || ttl == null
                        || !ttl.isIntegralNumber()
                        || ttl.asLong() <= 0) {
                    return deny(INVALID);
                }
                List<String> roleList = new ArrayList<>();
                for (JsonNode r : roles) {
                    if (!r.isString()) {
                        return deny(INVALID);
                    }
                    roleList.add(r.asString());
                }
                requirement = new ApprovalRequirement(
                        min.asInt(), roleList, self.asBoolean(), Duration.ofSeconds(ttl.asLong()));
            }
        }
        if (required) {
            return new NeedsApproval(reasons.isEmpty() ? List.of("this change needs approval") : reasons, requirement);
        }
        if (allow.asBoolean()) {
            return new Allow(reasons);
        }
        return new Deny(reasons.isEmpty() ? List.of("denied by policy") : reasons);
    }
}
