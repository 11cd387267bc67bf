package io.opsmcp.core.tool;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link ToolResult} removes object members whose value is JSON {@code null}, at any depth, without changing the
 * caller's tree; a tree without such a member is taken as it is (it is not copied).
 */
class ToolResultTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static JsonNode tree(String json) {
        return JSON.readTree(json);
    }

    @Test
    void nullMembersAreRemovedAtAnyDepthFromACopy() {
        String[][] cases = {
            {"{\"a\":null,\"b\":1}", "{\"b\":1}"},
            {"{\"a\":{\"b\":{\"c\":null,\"d\":\"x\"}}}", "{\"a\":{\"b\":{\"d\":\"x\"}}}"},
            {"{\"rows\":[{\"x\":1},{\"x\":null,\"y\":[{\"z\":null}]}]}", "{\"rows\":[{\"x\":1},{\"y\":[{}]}]}"},
            {"[[{\"deep\":null}],2]", "[[{}],2]"},
        };
        for (String[] c : cases) {
            JsonNode given = tree(c[0]);
            ToolResult r = ToolResult.ok("t", given);
            assertThat(r.structuredContent()).as(c[0]).isEqualTo(tree(c[1]));
            assertThat(given).as("the caller's tree is unchanged: %s", c[0]).isEqualTo(tree(c[0]));
            assertThat(r.structuredContent()).isNotSameAs(given);
        }
    }

    @Test
    void aTreeWithoutNullMembersIsKeptAsGiven() {
        String[] cases = {
            "{}", "{\"a\":1,\"b\":[null,2,{\"c\":\"d\"}]}", "[null,null]", "{\"n\":{\"m\":[]}}", "\"text\"", "3"
        };
        for (String c : cases) {
            JsonNode given = tree(c);
            ToolResult r = ToolResult.ok("t", given);
            assertThat(r.structuredContent()).as(c).isSameAs(given).isEqualTo(tree(c));
        }
        assertThat(ToolResult.ok("t").structuredContent()).isNull();
    }
}
