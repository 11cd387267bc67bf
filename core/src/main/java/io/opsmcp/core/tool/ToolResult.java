package io.opsmcp.core.tool;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The outcome of {@link OpsTool#execute}.
 *
 * @param text              human- and model-readable summary; always present
 * @param structuredContent JSON object matching {@link ToolDefinition#outputSchema()}, or {@code null}; members
 *                          whose value is JSON {@code null} are removed (at any depth): a member that has no value
 *                          is absent, so an output schema types each member once, without {@code "null"}
 * @param error             {@code true} when the tool ran but the operation failed (MCP {@code isError});
 *                          the text then says what went wrong and what to do
 */
public record ToolResult(String text, JsonNode structuredContent, boolean error) {

    public ToolResult {
        Objects.requireNonNull(text, "text");
        if (structuredContent != null) {
            structuredContent = withoutNullMembers(structuredContent.deepCopy());
        }
    }

    private static JsonNode withoutNullMembers(JsonNode node) {
        if (node instanceof ObjectNode o) {
            List<String> nulls = new ArrayList<>();
            for (Map.Entry<String, JsonNode> e : o.properties()) {
                if (e.getValue().isNull()) {
                    nulls.add(e.getKey());
                } else {
                    withoutNullMembers(e.getValue());
                }
            }
            o.remove(nulls);
        } else if (node instanceof ArrayNode a) {
            a.forEach(ToolResult::withoutNullMembers);
        }
        return node;
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
