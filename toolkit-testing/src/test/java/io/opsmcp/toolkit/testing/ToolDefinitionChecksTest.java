package io.opsmcp.toolkit.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.core.tool.ToolAnnotations;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Each rule fails on the shape it forbids (the shapes the published lists had before issue 13). */
class ToolDefinitionChecksTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static ObjectNode json(String s) {
        return (ObjectNode) JSON.readTree(s);
    }

    private static ToolDefinition tool(String input, String output, ToolAnnotations a) {
        return new ToolDefinition("t", "t", "d", json(input), output == null ? null : json(output), a);
    }

    @Test
    void typeUnionsLookaroundAndUndeclaredRequiredMembersAreProblems() {
        ToolDefinition d = tool(
                "{\"type\":\"object\",\"properties\":{\"ref\":{\"type\":\"string\",\"pattern\":\"^(?!-)[a-z]+$\"},"
                        + "\"p\":{\"type\":\"string\",\"pattern\":\"^[a-z]{1,2048}$\"}}}",
                "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":[\"string\",\"null\"]}},\"required\":[\"b\"]}",
                ToolAnnotations.readOnly());
        assertThat(ToolDefinitionChecks.schemaProblems(d))
                .hasSize(4)
                .anyMatch(p -> p.contains("ref") && p.contains("not RE2"))
                .anyMatch(p -> p.contains("/p") && p.contains("not RE2"))
                .anyMatch(p -> p.contains("union"))
                .anyMatch(p -> p.contains("required member b"));
    }

    @Test
    void aMemberSchemaWithoutAValidationKeywordIsAProblem() {
        ToolDefinition d = tool(
                "{\"type\":\"object\",\"properties\":{\"host\":{\"type\":\"string\"}}}",
                "{\"type\":\"object\",\"properties\":{\"before\":{\"description\":\"anything\"},"
                        + "\"after\":{\"anyOf\":[{\"type\":\"object\"},{\"type\":\"string\"}]}}}",
                ToolAnnotations.readOnly());
        assertThat(ToolDefinitionChecks.schemaProblems(d))
                .singleElement()
                .satisfies(p -> assertThat(p).contains("properties/before").contains("no validation keyword"));
    }

    @Test
    void aMutatingToolIsDestructiveUnlessAllowListedAndNeverIdempotent() {
        ToolDefinition restart = new ToolDefinition(
                "restart", "r", "d", json("{\"type\":\"object\"}"), null, ToolAnnotations.mutating(true));
        assertThat(ToolDefinitionChecks.annotationProblems(List.of(restart), Map.of()))
                .anyMatch(p -> p.contains("destructiveHint"))
                .anyMatch(p -> p.contains("idempotentHint"));
        ToolDefinition comment = new ToolDefinition(
                "comment", "c", "d", json("{\"type\":\"object\"}"), null, ToolAnnotations.mutating(false));
        assertThat(ToolDefinitionChecks.annotationProblems(List.of(comment), Map.of("comment", "only adds")))
                .isEmpty();
    }

    @Test
    void resultsMustValidateAndDeclareEveryMember() {
        ToolDefinition d = tool(
                "{\"type\":\"object\"}",
                "{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\"}},\"required\":[\"n\"]}",
                ToolAnnotations.readOnly());
        assertThat(ToolDefinitionChecks.resultProblems(d, ToolResult.ok("x", json("{\"n\":1}"))))
                .isEmpty();
        assertThat(ToolDefinitionChecks.resultProblems(d, ToolResult.ok("x", json("{\"n\":\"1\",\"extra\":2}"))))
                .anyMatch(p -> p.contains("rule: type"))
                .anyMatch(p -> p.contains("extra is returned but not declared"));
        assertThat(ToolDefinitionChecks.resultProblems(d, ToolResult.ok("x")))
                .anyMatch(p -> p.contains("no structuredContent"));
    }
}
