package io.opsmcp.guard.policy;

import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A policy input (shape in {@code policies/README.md}) with one member that is costly to compute and that a policy
 * may not read: {@code input.history}, the circuit breaker's counts (a query of the audit store), which the shipped
 * policy reads for changes only. An engine that can tell whether the policy reads it
 * ({@link EmbeddedPolicyEngine}) calls {@code member} only then; any other engine completes the input first
 * ({@link PolicyEngine#decide(DeferredInput)}). The decision is the same either way.
 *
 * @param known  every member of the input but {@code key}; not modified
 * @param key    the deferred member's name
 * @param member computes the member's value; called at most once per decision, from the deciding thread; must not
 *               return null. An exception it throws makes the decision a {@link Decision#UNAVAILABLE} deny.
 */
public record DeferredInput(ObjectNode known, String key, Supplier<JsonNode> member) {

    public DeferredInput {
        if (known.has(key)) {
            throw new IllegalArgumentException("the deferred member " + key + " is also a known member");
        }
    }

    /** The whole input: a copy of {@code known} with {@code key} last, computed now. */
    public ObjectNode complete() {
        ObjectNode all = known.deepCopy();
        all.set(key, member.get());
        return all;
    }
}
