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
 */
public record ActionDescriptor(String provider, String kind, String environment, String name,
                               Map<String, String> ids, ChangePreview change) {

    public ActionDescriptor {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(kind, "kind");
        ids = ids == null ? Map.of() : Map.copyOf(ids);
    }

    /** Whether this particular change is destructive (see {@link ChangePreview#destructive()}). */
    public boolean destructive() {
        return change != null && change.destructive();
    }

    /** A read-only action on one resource. */
    public static ActionDescriptor read(String provider, String kind, String environment, String name,
                                        Map<String, String> ids) {
        return new ActionDescriptor(provider, kind, environment, name, ids, null);
    }
}
