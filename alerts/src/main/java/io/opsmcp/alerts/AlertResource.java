package io.opsmcp.alerts;

import io.opsmcp.core.tool.ActionDescriptor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The resource an alert is about, in the terms of the tool that acts on it, so the policy scopes it as it scopes
 * that tool's calls and the audit's records on it can be found: an ECS service (provider {@code aws}, kind
 * {@code ecs:service}, ids {@code account}/{@code account_id}, {@code region}, {@code cluster}, {@code service}),
 * a host ({@code host}, {@code host}, ids {@code host_group}), a GitLab project ({@code gitlab},
 * {@code gitlab:project}, ids {@code project}) or a CloudWatch alarm ({@code aws}, {@code cloudwatch:alarm}).
 *
 * @param provider {@code aws}, {@code host}, {@code gitlab}
 * @param kind     the provider-qualified kind
 * @param name     the resource's own name (service, host, project path, alarm name)
 * @param ids      the identifiers the policy scopes by
 */
public record AlertResource(String provider, String kind, String name, Map<String, String> ids) {

    public AlertResource {
        ids = ids == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(ids));
    }

    /**
     * What seeing this alert reveals to the policy: a read of the resource. The environment is left to the policy,
     * which places the resource from its own data (accounts, regions, project patterns, host groups).
     */
    public ActionDescriptor descriptor() {
        return ActionDescriptor.read(provider, kind, null, name, ids);
    }

    /** Provider, kind, name and ids as one JSON object (the policy's {@code input.resource} shape). */
    public ObjectNode toJson() {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("provider", provider);
        out.put("kind", kind);
        out.put("name", name);
        ObjectNode i = out.putObject("ids");
        ids.forEach(i::put);
        return out;
    }

    static AlertResource fromJson(JsonNode json) {
        Map<String, String> ids = new LinkedHashMap<>();
        json.path("ids")
                .properties()
                .forEach(e -> ids.put(e.getKey(), e.getValue().asString()));
        return new AlertResource(
                json.path("provider").asString(),
                json.path("kind").asString(),
                json.path("name").asString(),
                ids);
    }

    /**
     * Whether an audit record's resource ({@code input.resource} shape: provider, kind, name and the ids flattened)
     * is this resource: same provider and name and every id both name agrees. The kind may differ (an alarm on an
     * ECS service is matched against {@code ecs:service} changes by its mapping, not here).
     */
    public boolean matches(JsonNode audited) {
        if (audited == null || !provider.equals(audited.path("provider").asString(""))) {
            return false;
        }
        if (!name.equals(audited.path("name").asString(""))) {
            return false;
        }
        if (!kind.equals(audited.path("kind").asString(""))) {
            return false;
        }
        for (var e : ids.entrySet()) {
            JsonNode v = audited.path(e.getKey());
            if (v.isString() && !v.asString().equals(e.getValue())) {
                return false;
            }
        }
        return true;
    }
}
