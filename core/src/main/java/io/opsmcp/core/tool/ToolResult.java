package io.opsmcp.core.tool;

import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * The outcome of {@link OpsTool#execute}.
 *
 * @param text              human- and model-readable summary; always present
 * @param structuredContent JSON object matching {@link ToolDefinition#outputSchema()}, or {@code null}
 * @param error             {@code true} when the tool ran but the operation failed (MCP {@code isError});
 *                          the text then says what went wrong and what to do
 */
public record ToolResult(String text, JsonNode structuredContent, boolean error) {

    public ToolResult {
        Objects.requireNonNull(text, "text");
    }

    public static ToolResult ok(String text) {
        return new ToolResult(text, null, false);
    }

    public static ToolResult ok(String text, JsonNode structuredContent) {
        return new ToolResult(text, structuredContent, false);
    }

    public static ToolResult error(String text) {
        return new ToolResult(text, null, true);
    }
}
