package io.opsmcp.server.guard;

import tools.jackson.databind.JsonNode;

/**
 * Evaluates {@code data.opsmcp.authz.decision} for one policy input (shape in
 * {@code ../shared/design/ARCHITECTURE.md}, "Policy contract"). Implementations are thread-safe.
 */
public interface PolicyEngine extends AutoCloseable {

    /**
     * Decides one call. Never throws: an engine error, a timeout or an answer that does not match the decision
     * schema is a {@link Decision.Deny} with reason {@link Decision#UNAVAILABLE} or {@link Decision#INVALID}.
     */
    Decision decide(JsonNode input);

    /** Where decisions come from, for logs and {@code ops-mcp tools}: engine kind, bundle path or URL. */
    String description();

    @Override
    void close();
}
