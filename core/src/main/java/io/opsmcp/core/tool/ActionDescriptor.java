package io.opsmcp.core.tool;

import java.util.Map;
import java.util.Objects;

/**
 * The resource a call touches and, for mutating tools, what would change. This is what the policy
 * guard reasons about ({@code input.resource} and {@code input.change} in the policy contract).
 *
 * @param provider    {@code aws}, {@code gitlab}, {@code host}, {@code local}
 * @param kind        provider-qualified kind, e.g. {@code ecs:service}, {@code host}, {@code gitlab:pipeline}
 * @param environment environment the resource belongs to ({@code dev}, {@code staging}, {@code prod}), or
 *                    {@code null} when it is in no configured environment
 * @param name        the resource's own name (service name, host name, project path)
 * @param ids         provider-specific identifiers (account, region, cluster; host group, address; instance)
 * @param change      the change preview, or {@code null} for read-only calls
 * @param facts       what the tool derived from the call for the policy to judge, beyond the resource (e.g.
 *                    {@code command_class: destructive} for a shell command); the policy sees them as
 *                    {@code input.facts}. They come from the tool's own analysis, never from the caller's arguments,
 *                    so a caller cannot state them.
 */
public record ActionDescriptor(
        String provider,
        String kind,
        String environment,
        String name,
        Map<String, String> ids,
        ChangePreview change,
        Map<String, String> facts) {

    public ActionDescriptor {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(kind, "kind");
        ids = ids == null ? Map.of() : Map.copyOf(ids);
        facts = facts == null ? Map.of() : Map.copyOf(facts);
    }

    /** A descriptor without policy facts. */
    public ActionDescriptor(
            String provider,
            String kind,
            String environment,
            String name,
            Map<String, String> ids,
            ChangePreview change) {
        this(provider, kind, environment, name, ids, change, Map.of());
    }

    /** The same descriptor with these policy facts (replacing any it had). */
    public ActionDescriptor withFacts(Map<String, String> facts) {
        return new ActionDescriptor(provider, kind, environment, name, ids, change, facts);
    }

    /** Whether this particular change is destructive (see {@link ChangePreview#destructive()}). */
    public boolean destructive() {
        return change != null && change.destructive();
    }

    /** A read-only action on one resource. */
    public static ActionDescriptor read(
            String provider, String kind, String environment, String name, Map<String, String> ids) {
        return new ActionDescriptor(provider, kind, environment, name, ids, null);
    }
}
