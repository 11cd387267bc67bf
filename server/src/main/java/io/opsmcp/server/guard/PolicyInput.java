package io.opsmcp.server.guard;

import java.util.Locale;
import java.util.List;
import java.util.Map;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.server.store.Approval;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds {@code input} for {@code data.opsmcp.authz.decision} exactly in the documented shape
 * ({@code ../shared/design/ARCHITECTURE.md}, "Policy contract"): every key is present, absent values are
 * {@code null}.
 */
public final class PolicyInput {

    private PolicyInput() {
    }

    /**
     * @param facts              the call
     * @param approval           the approval presented with the call (already checked against the call), or
     *                           {@code null}
     * @param approverRoles      roles of each approving principal, by principal id
     * @param actionsOnResource  mutations on this resource in the last hour
     * @param actionsByPrincipal mutations by this principal in the last hour
     */
    public static ObjectNode build(CallFacts facts, Approval approval, Map<String, List<String>> approverRoles,
                                   long actionsOnResource, long actionsByPrincipal) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode input = f.objectNode();
        ObjectNode principal = input.putObject("principal");
        principal.put("id", facts.principal().id());
        var roles = principal.putArray("roles");
        facts.principal().roles().stream().sorted().forEach(roles::add);
        principal.put("auth", facts.principal().auth());

        ObjectNode tool = input.putObject("tool");
        tool.put("name", facts.tool());
        tool.put("toolset", facts.toolset());
        tool.put("read_only", facts.readOnly() || facts.dryRun());
        tool.put("destructive", facts.destructive() && !facts.dryRun());

        input.set("resource", resource(facts.action()));
        JsonNode args = facts.redactedArgs();
        String commandClass = facts.action().ids().get("command_class");
        if (commandClass != null && args.isObject()) {
            // host_exec classifies its command; the policy reads the class as input.args.command_class.
            ObjectNode withClass = ((ObjectNode) args).deepCopy();
            withClass.put("command_class", commandClass);
            args = withClass;
        }
        input.set("args", args);

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

        ObjectNode history = input.putObject("history");
        history.put("actions_on_resource_last_hour", actionsOnResource);
        history.put("actions_by_principal_last_hour", actionsByPrincipal);
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
        action.ids().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .filter(e -> !resource.has(e.getKey()))
                .forEach(e -> resource.put(e.getKey(), e.getValue()));
        return resource;
    }

    private static JsonNode nullToJson(JsonNode node) {
        return node == null ? JsonNodeFactory.instance.nullNode() : node;
    }
}
