package io.opsmcp.core.tool;

import tools.jackson.databind.JsonNode;

/**
 * What a mutating call would change, shown to the policy and to the human who approves it.
 *
 * @param summary     one line a human understands, e.g. {@code desiredCount 4 -> 0}
 * @param before      the relevant state now (may be {@code null} when unknown)
 * @param after       the state the call would produce (may be {@code null})
 * @param destructive this particular change destroys or stops something (scale to zero, delete, cancel), even
 *                    when the tool in general is not destructive; the policy sees it as
 *                    {@code input.tool.destructive}
 */
public record ChangePreview(String summary, JsonNode before, JsonNode after, boolean destructive) {

    /** A change that is not destructive. */
    public ChangePreview(String summary, JsonNode before, JsonNode after) {
        this(summary, before, after, false);
    }
}
