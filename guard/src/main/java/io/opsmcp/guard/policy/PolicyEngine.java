package io.opsmcp.guard.policy;

import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Evaluates {@code data.opsmcp.authz.decision} for one policy input (shape in
 * {@code policies/README.md}, "Input and decision"). Implementations are thread-safe.
 */
public interface PolicyEngine extends AutoCloseable {

    /**
     * Decides one call. Never throws: an engine error, a timeout or an answer that does not match the decision
     * schema is a {@link Decision.Deny} with reason {@link Decision#UNAVAILABLE} or {@link Decision#INVALID}. The one
     * exception is an engine that could not be built at all (one built off the start-up path): it throws {@link
     * io.opsmcp.guard.GuardUnavailableException} saying why, and the guard refuses the call with that message.
     */
    Decision decide(JsonNode input);

    /**
     * Decides one call whose input has a deferred member ({@code input.history}): an engine that can tell whether
     * the policy reads it computes it only then, at most once; the decision must be the one {@link
     * #decide(JsonNode)} gives for {@link DeferredInput#complete()}. This default completes the input first (a
     * remote OPA needs the whole input). Never throws: a member that cannot be computed is a {@link Decision.Deny}
     * with reason {@link Decision#UNAVAILABLE}. Engines that wrap another engine delegate this method too, or they
     * compute the member for every decision.
     */
    default Decision decide(DeferredInput input) {
        JsonNode complete;
        try {
            complete = input.complete();
        } catch (RuntimeException e) {
            return Decision.deny(Decision.UNAVAILABLE);
        }
        return decide(complete);
    }

    /**
     * The policy this engine evaluates, when it holds it (the embedded engine); empty for a remote OPA.
     *
     * @param source   where it was loaded from (classpath or directory)
     * @param revision the bundle manifest's revision, or {@code none}
     * @param modules  module path → Rego text
     * @param data     the bundle's data document
     */
    record PolicyBundle(String source, String revision, Map<String, String> modules, JsonNode data) {}

    /** The active bundle, for {@code ops://policy/bundle} and {@code ops://environments}. */
    default Optional<PolicyBundle> bundle() {
        return Optional.empty();
    }

    /** Where decisions come from, for logs and {@code ops-mcp tools}: engine kind, bundle path or URL. */
    String description();

    @Override
    void close();
}
