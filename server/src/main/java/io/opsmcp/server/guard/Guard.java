package io.opsmcp.server.guard;

import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.Principal;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.server.store.Approval;
import io.opsmcp.server.store.ApprovalStore;
import io.opsmcp.server.store.AuditEvent;
import io.opsmcp.server.store.AuditStore;
import io.opsmcp.server.store.AuditUnavailableException;
import io.opsmcp.server.store.CanonicalJson;
import io.opsmcp.server.store.StoreException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one check every tool call passes after its arguments are valid: the policy decides allow, deny or
 * needs-approval; approvals are created, bound to the call and consumed exactly once; and every decision and
 * outcome goes to the hash-chained audit log. A mutating call runs only when its intent record is written.
 *
 * <p>An approval presented with a call ({@code approval_id}) must match the call exactly: same tool, same
 * arguments (SHA-256 of their RFC 8785 canonical JSON), same requester, approved, not expired, not used. The
 * policy is then asked again with {@code input.approval} filled in, and only an allow consumes it.
 */
public final class Guard {

    private static final Logger log = LoggerFactory.getLogger(Guard.class);

    /** What the gateway does next. */
    public sealed interface Verdict permits Verdict.Proceed, Verdict.Stop {
        /** Run the tool. {@code approval} is the consumed approval, if one was used. */
        record Proceed(Decision decision, Approval approval) implements Verdict {
        }

        /** Do not run the tool; return {@code result} (an error, or the approval-pending notice). */
        record Stop(ToolResult result) implements Verdict {
        }
    }

    private final PolicyEngine policy;
    private final ApprovalStore approvals;
    private final AuditStore audit;
    private final Clock clock;

    public Guard(PolicyEngine policy, ApprovalStore approvals, AuditStore audit, Clock clock) {
        this.policy = policy;
        this.approvals = approvals;
        this.audit = audit;
        this.clock = clock;
    }

    public PolicyEngine policy() {
        return policy;
    }

    /**
     * Decides one call; records denials and approval requests; writes the intent record of a mutation. Never
     * throws: a store that cannot be reached stops the call with a clear error.
     */
    public Verdict check(CallFacts facts) {
        try {
            return decide(facts);
        } catch (StoreException e) {
            log.error("approval store unavailable, refusing {} for {}: {}", facts.tool(), facts.principal().id(),
                    e.getMessage());
            return new Verdict.Stop(ToolResult.error("The approval store cannot be reached, so this call is refused"
                    + " (read-only tools still work). Ask the operator to check the database."));
        }
    }

    private Verdict decide(CallFacts facts) {
        ObjectNode resource = PolicyInput.resource(facts.action());
        Approval presented = null;
        if (facts.approvalId() != null) {
            var binding = bind(facts);
            if (binding instanceof Verdict.Stop stop) {
                return stop;
            }
            presented = ((Bound) binding).approval;
        }
        long onResource;
        long byPrincipal;
        try {
            Instant hourAgo = facts.now().minus(Duration.ofHours(1));
            onResource = audit.countMutationsOnResource(AuditEvent.resourceKey(resource), hourAgo);
            byPrincipal = audit.countMutationsByPrincipal(facts.principal().id(), hourAgo);
        } catch (AuditUnavailableException e) {
            if (facts.mutating()) {
                return auditDown(facts, e);
            }
            onResource = 0;
            byPrincipal = 0;
        }
        Map<String, List<String>> approverRoles = new HashMap<>();
        if (presented != null) {
            presented.votes().forEach(v -> approverRoles.put(v.principal(), v.roles()));
        }
        Decision decision = policy.decide(PolicyInput.build(facts, presented, approverRoles, onResource, byPrincipal));

        if (decision instanceof Decision.Deny deny) {
            record(facts, resource, "deny", deny.reasons(), presented, "denied", null);
            return new Verdict.Stop(ToolResult.error("Denied by policy: " + String.join("; ", deny.reasons())));
        }
        if (decision instanceof Decision.NeedsApproval needs) {
            if (presented != null) {
                List<String> reasons = prefixed("approval " + presented.id() + " does not satisfy the policy: ", needs.reasons());
                record(facts, resource, "needs_approval", reasons, presented, "denied", null);
                return new Verdict.Stop(ToolResult.error(String.join("; ", reasons)));
            }
            return requestApproval(facts, resource, needs);
        }
        if (facts.mutating()) {
            // The approval is consumed before the intent record is written: a caller that loses the race for it
            // writes no intent, so only changes that run are counted by the circuit breaker (history).
            if (presented != null && !approvals.consume(presented.id(), clock.instant())) {
                List<String> reasons = List.of("approval " + presented.id() + " was used or expired in the meantime");
                record(facts, resource, "allow", reasons, presented, "denied", null);
                return new Verdict.Stop(ToolResult.error(reasons.get(0) + "; request a new approval."));
            }
            try {
                audit.append(event(facts, resource, "allow", decision.reasons(), presented, "intent", 0, null, null));
            } catch (AuditUnavailableException e) {
                return auditDown(facts, e);
            }
        }
        return new Verdict.Proceed(decision, presented);
    }

    /**
     * Records how an allowed call ended.
     *
     * @param phase {@code succeeded}, {@code failed}, {@code timeout}, …
     */
    public void completed(CallFacts facts, Verdict.Proceed proceed, String phase, ToolResult result, long durationMs) {
        String digest = result == null ? null : sha256(result.text());
        AuditEvent event = event(facts, PolicyInput.resource(facts.action()), "allow", proceed.decision().reasons(),
                proceed.approval(), phase, durationMs, digest, result != null && result.error() ? result.text() : null);
        try {
            // Outcomes of reads are not forced to disk one by one (an fsync per read would dominate its latency);
            // anything about a change is.
            audit.append(event, facts.mutating());
        } catch (AuditUnavailableException e) {
            log.error("audit log unavailable; outcome of {} by {} (request {}) not recorded: {}", facts.tool(),
                    facts.principal().id(), facts.requestId(), e.getMessage());
        }
    }

    /** Records a call stopped before the policy was asked (unknown tool, invalid arguments, failed describe). */
    public void rejected(Principal principal, String requestId, String tool, String toolset, JsonNode redactedArgs,
                         String phase, String error, Instant time, long durationMs) {
        try {
            audit.append(new AuditEvent(time, requestId, principal.id(), principal.auth(), tool, toolset, null,
                    redactedArgs, null, List.of(), null, List.of(), phase, durationMs, null, error), false);
        } catch (AuditUnavailableException e) {
            log.error("audit log unavailable; rejected call of {} by {} not recorded: {}", tool, principal.id(), e.getMessage());
        }
    }

    /**
     * Asks the policy whether {@code caller} may read what {@code revealed} describes, outside {@code tools/call}
     * (a resource read, a template read or one completion value). Writes nothing; the caller audits the request
     * once with {@link #recordRead}. Never throws: an engine failure is a deny.
     *
     * @param action  {@link PolicyInput#RESOURCES_READ} or {@link PolicyInput#COMPLETION}
     * @param subject what was asked for: the URI, or the completion reference
     */
    public Decision decideRead(Principal caller, String action, String subject, String toolset,
                               ActionDescriptor revealed) {
        return policy.decide(PolicyInput.forRead(caller, action, subject, toolset, revealed, clock.instant()));
    }

    /**
     * Records one resource read or completion request in the audit log (not forced to disk, like other reads).
     *
     * @param subject  the URI or completion reference, recorded as the tool
     * @param revealed what was read, or {@code null} for a completion over several resources
     * @param args     what was asked ({@code uri}, or argument name and prefix), or {@code null}
     * @param decision {@code allow} or {@code deny}
     * @param phase    {@code succeeded}, {@code denied}, {@code failed}, {@code filtered}
     */
    public void recordRead(Principal caller, String action, String subject, String toolset, ActionDescriptor revealed,
                           JsonNode args, String decision, List<String> reasons, String phase, String error,
                           long durationMs) {
        try {
            audit.append(new AuditEvent(clock.instant(), null, caller.id(), caller.auth(), action + " " + subject, toolset,
                    revealed == null ? null : PolicyInput.resource(revealed), args, decision, reasons, null,
                    List.of(), phase, durationMs, null, error), false);
        } catch (AuditUnavailableException e) {
            log.error("audit log unavailable; {} of {} by {} not recorded: {}", action, subject, caller.id(),
                    e.getMessage());
        }
    }

    private record Bound(Approval approval) {
    }

    /** Checks that the presented approval belongs to exactly this call and may be used now. */
    private Object bind(CallFacts facts) {
        String id = facts.approvalId();
        ObjectNode resource = PolicyInput.resource(facts.action());
        Approval approval = approvals.find(id).orElse(null);
        String problem = null;
        boolean pending = false;
        if (approval == null) {
            problem = "approval " + id + " does not exist";
        } else if (!approval.tool().equals(facts.tool())) {
            problem = "approval " + id + " was granted for tool " + approval.tool() + ", not " + facts.tool();
        } else if (!approval.argsDigest().equals(CanonicalJson.sha256Hex(facts.args()))) {
            problem = "approval " + id + " was granted for different arguments; call " + facts.tool()
                    + " with exactly the arguments of the original request plus approval_id";
        } else if (!approval.requester().equals(facts.principal().id())) {
            problem = "approval " + id + " was requested by " + approval.requester() + " and only they can use it";
        } else {
            switch (approval.status()) {
                case PENDING -> {
                    pending = true;
                    problem = "approval " + id + " is still pending (" + approval.approvers().size() + " of "
                            + approval.minApprovals() + " approvals); ask an approver to run `ops-mcp approvals"
                            + " approve " + id + "` (as the approver's OS user), then call again";
                }
                case DENIED -> problem = "approval " + id + " was denied" + denialReason(approval);
                case USED -> problem = "approval " + id + " was already used at " + approval.usedAt()
                        + "; an approval runs one call only";
                case EXPIRED -> problem = "approval " + id + " expired at " + approval.expiresAt()
                        + "; call without approval_id to request a new one";
                case APPROVED -> {
                    return new Bound(approval);
                }
            }
        }
        record(facts, resource, null, List.of(problem), approval, pending ? "pending" : "denied", null);
        return new Verdict.Stop(pending ? ToolResult.ok(problem, status(approval)) : ToolResult.error(problem));
    }

    private Verdict requestApproval(CallFacts facts, ObjectNode resource, Decision.NeedsApproval needs) {
        ApprovalRequirement req = needs.requirement();
        Instant now = clock.instant();
        String summary = facts.action().change() == null ? null : facts.action().change().summary();
        Approval created = approvals.create(new Approval(null, facts.tool(), CanonicalJson.sha256Hex(facts.args()),
                facts.principal().id(), resource, summary, req.minApprovals(), req.approverRoles(),
                req.allowSelfApproval(), now, now.plus(req.ttl()), Approval.Status.PENDING, List.of(), null,
                String.join("; ", needs.reasons())));
        record(facts, resource, "needs_approval", needs.reasons(), created, "pending", null);
        Verdict inBand = askInBand(facts, created, req, summary, needs.reasons());
        if (inBand != null) {
            return inBand;
        }
        String who = req.approverRoles().isEmpty() ? "any principal" : "a principal with role "
                + String.join(" or ", req.approverRoles());
        String text = "Approval required before " + facts.tool() + " can run: " + String.join("; ", needs.reasons()) + ".\n"
                + "Approval id: " + created.id() + " (expires " + created.expiresAt() + ").\n"
                + (summary == null ? "" : "Change: " + summary + "\n")
                + "Needs " + req.minApprovals() + " approval(s) from " + who
                + (req.allowSelfApproval() ? "" : "; " + facts.principal().id() + " cannot approve their own request") + ".\n"
                + "A human approves with `ops-mcp approvals approve " + created.id() + "` (as the approver's OS user)"
                + " or POST /approvals/"
                + created.id() + "/approve. Then call " + facts.tool() + " again with the same arguments plus"
                + " \"approval_id\": \"" + created.id() + "\". approval_status shows where it stands.";
        return new Verdict.Stop(ToolResult.ok(text, status(created)));
    }

    /**
     * Where the policy allows self-approval, the caller holds an approver role and the client can be asked, asks
     * the person at the client to approve now; an approval given that way is recorded as the caller's vote and
     * the call goes through the guard again with it (binding, policy, consumption). Returns {@code null} when
     * nobody was asked or they did not approve, so the usual pending answer follows.
     */
    private Verdict askInBand(CallFacts facts, Approval created, ApprovalRequirement req, String summary,
                              List<String> reasons) {
        boolean approver = req.approverRoles().stream().anyMatch(facts.principal().roles()::contains);
        if (facts.inBand() == null || !req.allowSelfApproval() || !approver || req.minApprovals() != 1) {
            return null;
        }
        String question = "Approve " + facts.tool() + (summary == null ? "" : ": " + summary) + "?\n"
                + String.join("; ", reasons) + ". You may approve this yourself; it is recorded as your approval"
                + " (" + created.id() + ").";
        if (facts.inBand().ask(question) != InBandApprover.Answer.APPROVED) {
            return null;
        }
        approvals.vote(created.id(), facts.principal().id(), List.copyOf(facts.principal().roles()), true,
                "approved in-band by the requester (MCP elicitation)", clock.instant());
        return check(facts.withApproval(created.id()));
    }

    /** The structured status of an approval, as {@code approval_status} and pending results return it. */
    public static ObjectNode status(Approval a) {
        ObjectNode s = JsonNodeFactory.instance.objectNode();
        s.put("status", a.status() == Approval.Status.PENDING ? "approval_required" : a.status().name().toLowerCase(Locale.ROOT));
        s.put("approval_id", a.id());
        s.put("tool", a.tool());
        s.put("requester", a.requester());
        s.put("change", a.changeSummary());
        s.put("min_approvals", a.minApprovals());
        var roles = s.putArray("approver_roles");
        a.approverRoles().forEach(roles::add);
        s.put("allow_self_approval", a.allowSelfApproval());
        var approvers = s.putArray("approvers");
        a.approvers().forEach(approvers::add);
        s.put("created_at", a.createdAt().toString());
        s.put("expires_at", a.expiresAt().toString());
        s.put("reasons", a.reasons());
        return s;
    }

    private Verdict auditDown(CallFacts facts, AuditUnavailableException e) {
        log.error("audit log unavailable, refusing {} for {}: {}", facts.tool(), facts.principal().id(), e.getMessage());
        return new Verdict.Stop(ToolResult.error("The audit log cannot be written, so changes are refused until it"
                + " is back (read-only tools still work). Ask the operator to check the audit store."));
    }

    private void record(CallFacts facts, ObjectNode resource, String decision, List<String> reasons, Approval approval,
                        String phase, String error) {
        try {
            audit.append(event(facts, resource, decision, reasons, approval, phase, 0, null, error));
        } catch (AuditUnavailableException e) {
            log.error("audit log unavailable; {} of {} by {} not recorded: {}", phase, facts.tool(),
                    facts.principal().id(), e.getMessage());
        }
    }

    private AuditEvent event(CallFacts facts, ObjectNode resource, String decision, List<String> reasons,
                             Approval approval, String phase, long durationMs, String digest, String error) {
        return new AuditEvent(facts.now(), facts.requestId(), facts.principal().id(), facts.principal().auth(),
                facts.tool(), facts.toolset(), resource, facts.redactedArgs(), decision, reasons,
                approval == null ? null : approval.id(), approval == null ? List.of() : approval.approvers(),
                phase, durationMs, digest, error);
    }

    private static List<String> prefixed(String prefix, List<String> reasons) {
        return List.of(prefix + String.join("; ", reasons));
    }

    private static String denialReason(Approval a) {
        return a.votes().stream().filter(v -> !v.approve()).findFirst()
                .map(v -> " by " + v.principal() + (v.reason() == null ? "" : ": " + v.reason())).orElse("");
    }

    /** Hex SHA-256 of the tool's result text (UTF-8), before redaction and capping. */
    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
