package io.opsmcp.guard.policy;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.Principal;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.guard.GuardUnavailableException;
import io.opsmcp.guard.StoreException;
import io.opsmcp.guard.approval.Approval;
import io.opsmcp.guard.approval.ApprovalService;
import io.opsmcp.guard.approval.InBandApprover;
import io.opsmcp.guard.audit.AuditEvent;
import io.opsmcp.guard.audit.AuditEvent.Phase;
import io.opsmcp.guard.audit.AuditEvent.PolicyDecision;
import io.opsmcp.guard.audit.AuditStore;
import io.opsmcp.guard.audit.AuditUnavailableException;
import io.opsmcp.guard.audit.CanonicalJson;
import io.opsmcp.guard.observe.CallTimings;
import io.opsmcp.guard.observe.ObservedCall;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
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
        record Proceed(Decision decision, Approval approval) implements Verdict {}

        /** Do not run the tool; return {@code result} (an error, or the approval-pending notice). */
        record Stop(ToolResult result) implements Verdict {}
    }

    /** How a presented approval bound to the call: usable, or the call stops here. */
    private sealed interface Binding permits Binding.Usable, Binding.Refused {
        record Usable(Approval approval) implements Binding {}

        record Refused(Verdict.Stop stop) implements Binding {}
    }

    private final PolicyEngine policy;
    private final ApprovalService approvals;
    private final AuditStore audit;
    private final Clock clock;

    public Guard(PolicyEngine policy, ApprovalService approvals, AuditStore audit, Clock clock) {
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
     * throws: a store that cannot be reached, a store or policy that never opened ({@link GuardUnavailableException},
     * whose message the result quotes) and any other failure while deciding stop the call with an error result that
     * says so; the tool does not run.
     */
    public Verdict check(CallFacts facts) {
        return check(facts, new CallTimings());
    }

    /**
     * As {@link #check(CallFacts)}, adding the policy's and the audit log's time and the decision to {@code timings}.
     */
    public Verdict check(CallFacts facts, CallTimings timings) {
        try {
            return decide(facts, timings);
        } catch (GuardUnavailableException e) {
            // logged once, in full, when the store or the policy failed to open
            timings.decided(ObservedCall.Decision.DENY, Phase.DENIED);
            log.warn(
                    "refusing {} for {}: the store or the policy did not open",
                    facts.tool(),
                    facts.principal().id());
            return new Verdict.Stop(ToolResult.error(e.getMessage()));
        } catch (StoreException e) {
            timings.decided(ObservedCall.Decision.DENY, Phase.DENIED);
            log.error(
                    "approval store unavailable, refusing {} for {}: {}",
                    facts.tool(),
                    facts.principal().id(),
                    e.getMessage());
            return new Verdict.Stop(ToolResult.error("The approval store cannot be reached, so this call is refused"
                    + " (read-only tools still work). Ask the operator to check the database."));
        } catch (RuntimeException e) {
            // Fail closed on anything else too (a bug, a store throwing what it should not): the call is refused as a
            // tool error, not a protocol error. The message may quote arguments or secrets: the type only, the
            // detail at debug.
            timings.decided(ObservedCall.Decision.DENY, Phase.DENIED);
            log.error(
                    "the guard failed deciding {} for {}, refusing it: {}",
                    facts.tool(),
                    facts.principal().id(),
                    e.getClass().getName());
            log.debug("guard failure detail", e);
            return new Verdict.Stop(ToolResult.error("This call could not be decided, so it was refused and nothing was"
                    + " run (an internal error in the guard; the server log has the details)."));
        }
    }

    private Verdict decide(CallFacts facts, CallTimings timings) {
        ObjectNode resource = PolicyInput.resource(facts.action());
        Approval presented = null;
        if (facts.approvalId() != null) {
            Binding binding = bind(facts, timings);
            if (binding instanceof Binding.Refused refused) {
                return refused.stop();
            }
            presented = ((Binding.Usable) binding).approval();
        }
        Map<String, List<String>> approverRoles = new HashMap<>();
        if (presented != null) {
            presented.votes().forEach(v -> approverRoles.put(v.principal(), v.roles()));
        }
        Decision decision;
        if (facts.mutating()) {
            // A change counts first, as the query is also the check that the audit log can be reached: with it down,
            // a change is refused before anything else happens (no approval is created for it).
            AuditStore.MutationCounts counts;
            try {
                counts = countMutations(facts, resource);
            } catch (AuditUnavailableException e) {
                return auditDown(facts, e, timings);
            }
            long policyStart = System.nanoTime();
            decision = policy.decide(
                    PolicyInput.build(facts, presented, approverRoles, counts.onResource(), counts.byPrincipal()));
            timings.policy(System.nanoTime() - policyStart);
        } else {
            // A read counts only if the policy reads input.history (the shipped one does not, for reads: one store
            // query per read saved); an audit log that cannot be reached gives a read zero counts, as before.
            HistoryCounts history = new HistoryCounts(facts, resource);
            long policyStart = System.nanoTime();
            decision = policy.decide(PolicyInput.deferred(facts, presented, approverRoles, history));
            timings.policy(System.nanoTime() - policyStart - history.nanos);
        }

        if (decision instanceof Decision.Deny deny) {
            record(facts, resource, PolicyDecision.DENY, deny.reasons(), presented, Phase.DENIED, null, timings);
            timings.decided(ObservedCall.Decision.DENY, Phase.DENIED);
            return new Verdict.Stop(ToolResult.error("Denied by policy: " + String.join("; ", deny.reasons())));
        }
        if (decision instanceof Decision.NeedsApproval needs) {
            if (presented != null) {
                List<String> reasons =
                        prefixed("approval " + presented.id() + " does not satisfy the policy: ", needs.reasons());
                record(facts, resource, PolicyDecision.NEEDS_APPROVAL, reasons, presented, Phase.DENIED, null, timings);
                timings.decided(ObservedCall.Decision.DENY, Phase.DENIED);
                return new Verdict.Stop(ToolResult.error(String.join("; ", reasons)));
            }
            return requestApproval(facts, resource, needs, timings);
        }
        if (facts.mutating()) {
            // The approval is consumed before the intent record is written: a caller that loses the race for it
            // writes no intent, so only changes that run are counted by the circuit breaker (history).
            if (presented != null && !approvals.consume(presented.id(), clock.instant())) {
                List<String> reasons = List.of("approval " + presented.id() + " was used or expired in the meantime");
                record(facts, resource, PolicyDecision.ALLOW, reasons, presented, Phase.DENIED, null, timings);
                timings.decided(ObservedCall.Decision.DENY, Phase.DENIED);
                return new Verdict.Stop(ToolResult.error(reasons.get(0) + "; request a new approval."));
            }
            try {
                append(
                        event(
                                facts,
                                resource,
                                PolicyDecision.ALLOW,
                                decision.reasons(),
                                presented,
                                Phase.INTENT,
                                0,
                                null,
                                null),
                        true,
                        timings);
            } catch (AuditUnavailableException e) {
                return auditDown(facts, e, timings);
            }
        }
        timings.decided(ObservedCall.Decision.ALLOW, facts.mutating() ? Phase.INTENT : null);
        return new Verdict.Proceed(decision, presented);
    }

    /** Records how an allowed call ended ({@link Phase#SUCCEEDED}, {@link Phase#FAILED}, {@link Phase#TIMEOUT}, …). */
    public void completed(CallFacts facts, Verdict.Proceed proceed, Phase phase, ToolResult result, long durationMs) {
        completed(facts, proceed, phase, result, durationMs, new CallTimings());
    }

    /** As {@link #completed(CallFacts, Verdict.Proceed, Phase, ToolResult, long)}, timing the append in {@code timings}. */
    public void completed(
            CallFacts facts,
            Verdict.Proceed proceed,
            Phase phase,
            ToolResult result,
            long durationMs,
            CallTimings timings) {
        timings.decided(ObservedCall.Decision.ALLOW, phase);
        // the digest of the tool's own text (UTF-8), before redaction and capping
        String digest = result == null ? null : CanonicalJson.sha256Hex(result.text());
        AuditEvent event = event(
                facts,
                PolicyInput.resource(facts.action()),
                PolicyDecision.ALLOW,
                proceed.decision().reasons(),
                proceed.approval(),
                phase,
                durationMs,
                digest,
                result != null && result.error() ? result.text() : null);
        try {
            // Outcomes of reads are not forced to disk one by one (an fsync per read would dominate its latency);
            // anything about a change is.
            append(event, facts.mutating(), timings);
        } catch (RuntimeException e) {
            // the tool has run: its result goes back to the caller whatever happened to the record
            log.error(
                    "audit log unavailable; outcome of {} by {} (request {}) not recorded: {}",
                    facts.tool(),
                    facts.principal().id(),
                    facts.requestId(),
                    why(e));
        }
    }

    /** Records a call stopped before the policy was asked (unknown tool, invalid arguments, failed describe). */
    public void rejected(
            Principal principal,
            String requestId,
            String tool,
            String toolset,
            JsonNode redactedArgs,
            Phase phase,
            String error,
            Instant time,
            long durationMs) {
        rejected(principal, requestId, tool, toolset, redactedArgs, phase, error, time, durationMs, new CallTimings());
    }

    /** As {@link #rejected(Principal, String, String, String, JsonNode, Phase, String, Instant, long)}, timed. */
    public void rejected(
            Principal principal,
            String requestId,
            String tool,
            String toolset,
            JsonNode redactedArgs,
            Phase phase,
            String error,
            Instant time,
            long durationMs,
            CallTimings timings) {
        timings.decided(ObservedCall.Decision.REJECTED, phase);
        try {
            append(
                    AuditEvent.builder(time, principal.id(), phase)
                            .requestId(requestId)
                            .auth(principal.auth())
                            .tool(tool, toolset)
                            .args(redactedArgs)
                            .durationMs(durationMs)
                            .error(error)
                            .build(),
                    false,
                    timings);
        } catch (RuntimeException e) {
            // the call is refused anyway: its answer stays the refusal, not a protocol error
            log.error(
                    "audit log unavailable; rejected call of {} by {} not recorded: {}", tool, principal.id(), why(e));
        }
    }

    /**
     * Asks the policy whether {@code caller} may read what {@code revealed} describes, outside {@code tools/call}
     * (a resource read, a template read or one completion value). Writes nothing; the caller audits the request
     * once with {@link #recordRead}. An engine failure is a deny.
     *
     * @param action  {@link PolicyInput#RESOURCES_READ} or {@link PolicyInput#COMPLETION}
     * @param subject what was asked for: the URI, or the completion reference
     * @throws GuardUnavailableException the policy never opened (nothing can be decided): the caller answers with its
     *     message
     */
    public Decision decideRead(
            Principal caller, String action, String subject, String toolset, ActionDescriptor revealed) {
        return policy.decide(PolicyInput.forRead(caller, action, subject, toolset, revealed, clock.instant()));
    }

    /**
     * One resource read or completion request outside {@code tools/call}, as the audit log records it.
     *
     * @param caller   who asked
     * @param action   {@link PolicyInput#RESOURCES_READ} or {@link PolicyInput#COMPLETION}
     * @param subject  the URI or completion reference, recorded as the tool
     * @param toolset  the toolset that serves it
     * @param revealed what was read, or {@code null} for a completion over several resources (or when describing it
     *                 failed)
     * @param args     what was asked ({@code uri}, or argument name and prefix), or {@code null}
     */
    public record ReadRequest(
            Principal caller, String action, String subject, String toolset, ActionDescriptor revealed, JsonNode args) {

        /** The same request once it is known what it reveals. */
        public ReadRequest revealing(ActionDescriptor what) {
            return new ReadRequest(caller, action, subject, toolset, what, args);
        }
    }

    /**
     * Records one read request in the audit log (not forced to disk, like other reads).
     *
     * @param decision {@code ALLOW} or {@code DENY}, or {@code null} when the policy was not asked
     * @param reasons  the policy's reasons, or what was shown
     * @param phase    {@code SUCCEEDED}, {@code DENIED} or {@code FAILED}
     * @param error    what went wrong, for {@code FAILED}; else {@code null}
     */
    public void recordRead(
            ReadRequest request,
            PolicyDecision decision,
            List<String> reasons,
            Phase phase,
            String error,
            long durationMs) {
        Principal caller = request.caller();
        try {
            audit.append(
                    AuditEvent.builder(clock.instant(), caller.id(), phase)
                            .auth(caller.auth())
                            .tool(request.action() + " " + request.subject(), request.toolset())
                            .resource(request.revealed() == null ? null : PolicyInput.resource(request.revealed()))
                            .args(request.args())
                            .decision(decision, reasons)
                            .durationMs(durationMs)
                            .error(error)
                            .build(),
                    false);
        } catch (RuntimeException e) {
            log.error(
                    "audit log unavailable; {} of {} by {} not recorded: {}",
                    request.action(),
                    request.subject(),
                    caller.id(),
                    why(e));
        }
    }

    /** Checks that the presented approval belongs to exactly this call and may be used now. */
    private Binding bind(CallFacts facts, CallTimings timings) {
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
                    problem = "approval " + id + " is still pending ("
                            + approval.approvers().size() + " of "
                            + approval.minApprovals() + " approvals); ask an approver to run `ops-mcp approvals"
                            + " approve " + id + "` (as the approver's OS user), then call again";
                }
                case DENIED -> problem = "approval " + id + " was denied" + denialReason(approval);
                case USED ->
                    problem = "approval " + id + " was already used at " + approval.usedAt()
                            + "; an approval runs one call only";
                case EXPIRED ->
                    problem = "approval " + id + " expired at " + approval.expiresAt()
                            + "; call without approval_id to request a new one";
                case APPROVED -> {
                    return new Binding.Usable(approval);
                }
            }
        }
        Phase phase = pending ? Phase.PENDING : Phase.DENIED;
        record(facts, resource, null, List.of(problem), approval, phase, null, timings);
        timings.decided(pending ? ObservedCall.Decision.APPROVAL_REQUIRED : ObservedCall.Decision.DENY, phase);
        return new Binding.Refused(new Verdict.Stop(
                pending ? ToolResult.ok(problem, ApprovalService.status(approval)) : ToolResult.error(problem)));
    }

    private Verdict requestApproval(
            CallFacts facts, ObjectNode resource, Decision.NeedsApproval needs, CallTimings timings) {
        ApprovalRequirement req = needs.requirement();
        Instant now = clock.instant();
        String summary =
                facts.action().change() == null ? null : facts.action().change().summary();
        Approval created = approvals.create(new Approval(
                null,
                facts.tool(),
                CanonicalJson.sha256Hex(facts.args()),
                facts.principal().id(),
                resource,
                summary,
                req.minApprovals(),
                req.approverRoles(),
                req.allowSelfApproval(),
                now,
                now.plus(req.ttl()),
                Approval.Status.PENDING,
                List.of(),
                null,
                String.join("; ", needs.reasons())));
        record(facts, resource, PolicyDecision.NEEDS_APPROVAL, needs.reasons(), created, Phase.PENDING, null, timings);
        timings.decided(ObservedCall.Decision.APPROVAL_REQUIRED, Phase.PENDING);
        Verdict inBand = askInBand(facts, created, req, summary, needs.reasons(), timings);
        if (inBand != null) {
            return inBand;
        }
        String who = req.approverRoles().isEmpty()
                ? "any principal"
                : "a principal with role " + String.join(" or ", req.approverRoles());
        String text = "Approval required before " + facts.tool() + " can run: " + String.join("; ", needs.reasons())
                + ".\n"
                + "Approval id: " + created.id() + " (expires " + created.expiresAt() + ").\n"
                + (summary == null ? "" : "Change: " + summary + "\n")
                + "Needs " + req.minApprovals() + " approval(s) from " + who
                + (req.allowSelfApproval() ? "" : "; " + facts.principal().id() + " cannot approve their own request")
                + ".\n"
                + "A human approves with `ops-mcp approvals approve " + created.id() + "` (as the approver's OS user)"
                + " or POST /approvals/"
                + created.id() + "/approve. Then call " + facts.tool() + " again with the same arguments plus"
                + " \"approval_id\": \"" + created.id() + "\". approval_status shows where it stands.";
        return new Verdict.Stop(ToolResult.ok(text, ApprovalService.status(created)));
    }

    /**
     * Where the policy allows self-approval, the caller holds an approver role and the client can be asked, asks
     * the person at the client to approve now; an approval given that way is recorded as the caller's vote and
     * the call goes through the guard again with it (binding, policy, consumption). Returns {@code null} when
     * nobody was asked or they did not approve, so the usual pending answer follows.
     */
    private Verdict askInBand(
            CallFacts facts,
            Approval created,
            ApprovalRequirement req,
            String summary,
            List<String> reasons,
            CallTimings timings) {
        boolean approver =
                req.approverRoles().stream().anyMatch(facts.principal().roles()::contains);
        if (facts.inBand() == null || !req.allowSelfApproval() || !approver || req.minApprovals() != 1) {
            return null;
        }
        String question = "Approve " + facts.tool() + (summary == null ? "" : ": " + summary) + "?\n"
                + String.join("; ", reasons) + ". You may approve this yourself; it is recorded as your approval"
                + " (" + created.id() + ").";
        if (facts.inBand().ask(question) != InBandApprover.Answer.APPROVED) {
            return null;
        }
        approvals.vote(
                created.id(),
                facts.principal().id(),
                List.copyOf(facts.principal().roles()),
                true,
                "approved in-band by the requester (MCP elicitation)",
                clock.instant());
        return check(facts.withApproval(created.id()), timings);
    }

    /** Mutations in the last hour on the call's resource and by its principal (one audit store query). */
    /**
     * A read's {@code input.history}, counted only if the policy reads it, and the time that took (not the policy's).
     * A class, not a lambda: the server runs C1 only, where creating a capturing lambda is a call into the VM.
     */
    private final class HistoryCounts implements Supplier<JsonNode> {
        private final CallFacts facts;
        private final ObjectNode resource;
        long nanos;

        HistoryCounts(CallFacts facts, ObjectNode resource) {
            this.facts = facts;
            this.resource = resource;
        }

        @Override
        public JsonNode get() {
            long start = System.nanoTime();
            try {
                AuditStore.MutationCounts counts = countMutations(facts, resource);
                return PolicyInput.history(counts.onResource(), counts.byPrincipal());
            } catch (AuditUnavailableException e) {
                return PolicyInput.history(0, 0);
            } finally {
                nanos = System.nanoTime() - start;
            }
        }
    }

    private AuditStore.MutationCounts countMutations(CallFacts facts, ObjectNode resource) {
        Instant hourAgo = facts.now().minus(Duration.ofHours(1));
        return audit.countMutations(
                AuditEvent.resourceKey(resource), facts.principal().id(), hourAgo);
    }

    private Verdict auditDown(CallFacts facts, AuditUnavailableException e, CallTimings timings) {
        timings.decided(ObservedCall.Decision.DENY, Phase.DENIED);
        log.error(
                "audit log unavailable, refusing {} for {}: {}",
                facts.tool(),
                facts.principal().id(),
                e.getMessage());
        return new Verdict.Stop(ToolResult.error("The audit log cannot be written, so changes are refused until it"
                + " is back (read-only tools still work). Ask the operator to check the audit store."));
    }

    private void record(
            CallFacts facts,
            ObjectNode resource,
            PolicyDecision decision,
            List<String> reasons,
            Approval approval,
            Phase phase,
            String error,
            CallTimings timings) {
        try {
            append(event(facts, resource, decision, reasons, approval, phase, 0, null, error), true, timings);
        } catch (RuntimeException e) {
            // a refusal stays a refusal when it cannot be recorded
            log.error(
                    "audit log unavailable; {} of {} by {} not recorded: {}",
                    phase,
                    facts.tool(),
                    facts.principal().id(),
                    why(e));
        }
    }

    private AuditEvent event(
            CallFacts facts,
            ObjectNode resource,
            PolicyDecision decision,
            List<String> reasons,
            Approval approval,
            Phase phase,
            long durationMs,
            String digest,
            String error) {
        return AuditEvent.builder(facts.now(), facts.principal().id(), phase)
                .requestId(facts.requestId())
                .auth(facts.principal().auth())
                .tool(facts.tool(), facts.toolset())
                .resource(resource)
                .args(facts.redactedArgs())
                .decision(decision, reasons)
                .approval(approval == null ? null : approval.id(), approval == null ? List.of() : approval.approvers())
                .durationMs(durationMs)
                .resultDigest(digest)
                .error(error)
                .build();
    }

    /** Appends to the audit log, adding the time it took (also when it failed) to {@code timings}. */
    private void append(AuditEvent event, boolean forceToDisk, CallTimings timings) {
        long start = System.nanoTime();
        try {
            audit.append(event, forceToDisk);
        } finally {
            timings.audit(System.nanoTime() - start);
        }
    }

    /**
     * Why a record was not written, for the log: a store's message (written not to hold a secret), else the type only
     * (another exception's message may quote what it was given).
     */
    private static String why(RuntimeException e) {
        return e instanceof StoreException ? e.getMessage() : e.getClass().getName();
    }

    private static List<String> prefixed(String prefix, List<String> reasons) {
        return List.of(prefix + String.join("; ", reasons));
    }

    private static String denialReason(Approval a) {
        return a.votes().stream()
                .filter(v -> !v.approve())
                .findFirst()
                .map(v -> " by " + v.principal() + (v.reason() == null ? "" : ": " + v.reason()))
                .orElse("");
    }
}
