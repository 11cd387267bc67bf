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
 *                          is absent, so an output schema types each member once, without {@code "null"}; a
 *                          tree that holds such a member is copied before they are removed (the caller's tree is
 *                          never changed), a tree without one is kept as given (not copied: every result passes
 *                          through here twice on its way out), so do not change it afterwards
 * @param error             {@code true} when the tool ran but the operation failed (MCP {@code isError});
 *                          the text then says what went wrong and what to do
 */
public record ToolResult(String text, JsonNode structuredContent, boolean error) {

    public ToolResult {
        Objects.requireNonNull(text, "text");
        if (structuredContent != null && holdsNullMember(structuredContent)) {
            structuredContent = withoutNullMembers(structuredContent.deepCopy());
        }
    }

    /** Whether a member of an object anywhere in the tree is JSON {@code null} (a loop: no lambda per node). */
    private static boolean holdsNullMember(JsonNode node) {
        if (node instanceof ObjectNode o) {
            for (Map.Entry<String, JsonNode> e : o.properties()) {
                if (e.getValue().isNull() || holdsNullMember(e.getValue())) {
                    return true;
                }
            }
        } else if (node instanceof ArrayNode a) {
            for (JsonNode v : a) {
                if (holdsNullMember(v)) {
                    return true;
                }
            }
        }
        return false;
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
