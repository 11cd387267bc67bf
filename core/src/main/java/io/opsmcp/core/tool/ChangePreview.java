package io.opsmcp.core.tool;

import tools.jackson.databind.JsonNode;

/**
 * What a mutating call would change, shown to the policy and to the human who approves it.
 *
 * @param summary one line a human understands, e.g. {@code desiredCount 4 -> 0}
 * @param before  the relevant state now (may be {@code null} when unknown)
 * @param after   the state the call would produce (may be {@code null})
 */
public record ChangePreview(String summary, JsonNode before, JsonNode after) {
}
