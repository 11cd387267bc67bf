package io.opsmcp.guard.policy;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.Principal;
import io.opsmcp.guard.approval.Approval;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds {@code input} for {@code data.opsmcp.authz.decision} exactly in the documented shape
 * ({@code policies/README.md}, "Input and decision"): every key is present, absent values are
 * {@code null}.
 */
public final class PolicyInput {

    /** {@code input.action} of a tool call. */
    public static final String TOOLS_CALL = "tools/call";
    /** {@code input.action} of a resource or resource-template read. */
    public static final String RESOURCES_READ = "resources/read";
    /** {@code input.action} of a completion: each value is decided as a read of what it names. */
    public static final String COMPLETION = "completion/complete";
    /** The member with the circuit breaker's counts, last in every input (deferred for reads: {@link #deferred}). */
    public static final String HISTORY = "history";

    private PolicyInput() {}

    /**
     * The input for a read outside {@code tools/call}: the same shape as a call's, with {@code action} saying
     * which, {@code tool} naming what was asked ({@code name} the URI, template or completion reference,
     * {@code read_only: true}), {@code resource} what it reveals, and empty args, change, approval and history.
     */
    public static ObjectNode forRead(
            Principal caller, String action, String subject, String toolset, ActionDescriptor revealed, Instant now) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode input = f.objectNode();
        input.put("action", action);
        principal(input, caller);
        ObjectNode tool = input.putObject("tool");
        tool.put("name", subject);
        tool.put("toolset", toolset);
        tool.put("read_only", true);
        tool.put("destructive", false);
        input.set("resource", resource(revealed));
        input.putObject("args");
        input.putObject("facts");
        input.putNull("change");
        input.putNull("approval");
        input.put("now", now.toString());
        input.set(HISTORY, history(0, 0));
        return input;
    }

    private static void principal(ObjectNode input, Principal caller) {
        ObjectNode principal = input.putObject("principal");
        principal.put("id", caller.id());
        var roles = principal.putArray("roles");
        // sorted, without a stream or a bound method reference (C1 creates those through a call into the VM)
        String[] sorted = caller.roles().toArray(new String[caller.roles().size()]);
        Arrays.sort(sorted);
        for (String r : sorted) {
            roles.add(r);
        }
        principal.put("auth", caller.auth());
    }

    /**
     * @param facts              the call
     * @param approval           the approval presented with the call (already checked against the call), or
     *                           {@code null}
     * @param approverRoles      roles of each approving principal, by principal id
     * @param actionsOnResource  mutations on this resource in the last hour
     * @param actionsByPrincipal mutations by this principal in the last hour
     */
    public static ObjectNode build(
            CallFacts facts,
            Approval approval,
            Map<String, List<String>> approverRoles,
            long actionsOnResource,
            long actionsByPrincipal) {
        ObjectNode input = known(facts, approval, approverRoles);
        input.set(HISTORY, history(actionsOnResource, actionsByPrincipal));
        return input;
    }

    /**
     * The same input as {@link #build} with {@code history} deferred: {@code history} computes it (see {@link
     * #history}) only if the policy reads it.
     */
    public static DeferredInput deferred(
            CallFacts facts, Approval approval, Map<String, List<String>> approverRoles, Supplier<JsonNode> history) {
        return new DeferredInput(known(facts, approval, approverRoles), HISTORY, history);
    }

    /** {@code input.history}: mutations in the last hour on the call's resource and by its principal. */
    public static ObjectNode history(long actionsOnResource, long actionsByPrincipal) {
        ObjectNode history = JsonNodeFactory.instance.objectNode();
        history.put("actions_on_resource_last_hour", actionsOnResource);
        history.put("actions_by_principal_last_hour", actionsByPrincipal);
        return history;
    }

    /** Every member of a call's input but {@link #HISTORY}. */
    private static ObjectNode known(CallFacts facts, Approval approval, Map<String, List<String>> approverRoles) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode input = f.objectNode();
        input.put("action", TOOLS_CALL);
        principal(input, facts.principal());

        ObjectNode tool = input.putObject("tool");
        tool.put("name", facts.tool());
        tool.put("toolset", facts.toolset());
        tool.put("read_only", facts.readOnly() || facts.dryRun());
        tool.put("destructive", facts.destructive() && !facts.dryRun());

        input.set("resource", resource(facts.action()));
        input.set("args", facts.redactedArgs());
        // What the tool derived from the call (e.g. host_exec's command_class): from the descriptor, never from the
        // caller's arguments, and in a stable order.
        ObjectNode policyFacts = input.putObject("facts");
        if (!facts.action().facts().isEmpty()) {
            for (Map.Entry<String, String> e :
                    new java.util.TreeMap<>(facts.action().facts()).entrySet()) {
                policyFacts.put(e.getKey(), e.getValue());
            }
        }

        if (facts.action().change() == null || facts.dryRun()) {
            input.putNull("change");
        } else {
            ObjectNode change = input.putObject("change");
            change.put("summary", facts.action().change().summary());
            change.set("before", nullToJson(facts.action().change().before()));
            change.set("after", nullToJson(facts.action().change().after()));
        }

        if (approval == null) {
            input.putNull("approval");
        } else {
            ObjectNode a = input.putObject("approval");
            a.put("id", approval.id());
            a.put("status", approval.status().name().toLowerCase(Locale.ROOT));
            a.put("min_approvals", approval.minApprovals());
            a.put("requester", approval.requester());
            var approvers = a.putArray("approvers");
            for (String id : approval.approvers()) {
                ObjectNode approver = approvers.addObject();
                approver.put("id", id);
                var r = approver.putArray("roles");
                approverRoles.getOrDefault(id, List.of()).forEach(r::add);
            }
        }

        input.put("now", facts.now().toString());
        return input;
    }

    /** The descriptor as the policy's {@code resource}: provider, kind, environment, name and every id. */
    public static ObjectNode resource(ActionDescriptor action) {
        ObjectNode resource = JsonNodeFactory.instance.objectNode();
        resource.put("provider", action.provider());
        resource.put("kind", action.kind());
        resource.put("environment", action.environment());
        resource.put("name", action.name());
        // sorted by key (a call's descriptor has a few ids; no stream: built for every call)
        if (!action.ids().isEmpty()) {
            for (Map.Entry<String, String> e : new java.util.TreeMap<>(action.ids()).entrySet()) {
                if (!resource.has(e.getKey())) {
                    resource.put(e.getKey(), e.getValue());
                }
            }
        }
        return resource;
    }

    private static JsonNode nullToJson(JsonNode node) {
        return node == null ? JsonNodeFactory.instance.nullNode() : node;
    }
}
