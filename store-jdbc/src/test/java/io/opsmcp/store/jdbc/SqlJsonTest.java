package io.opsmcp.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON text an audit column gets: the empty object's shortcut and the compact writer write what the mapper
 * writes, and what the compact writer leaves (floating-point and big numbers) the mapper still writes.
 */
class SqlJsonTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void emptyObjectIsTheMappersText() {
        JsonNode empty = JSON.createObjectNode();
        assertThat(Sql.json(empty)).isEqualTo(JSON.writeValueAsString(empty)).isEqualTo("{}");
        assertThat(Sql.json(Sql.json("{}"))).isEqualTo("{}");
    }

    @Test
    void everythingElseIsSerialised() {
        for (String text : new String[] {
            "[]",
            "{\"a\":null}",
            "{\"a\":{}}",
            "null",
            "\"{}\"",
            "0",
            "{\"k\":\"é\\u2028\"}",
            "{\"ids\":{\"cluster\":\"prod\",\"n\":-3},\"kind\":\"ecs\\n\\u0001\"}",
            "[1.5,1E+30,12345678901234567890123]",
            "{\"a\":[true,false,null,-9223372036854775808]}"
        }) {
            JsonNode node = JSON.readTree(text);
            assertThat(Sql.json(node)).as(text).isEqualTo(JSON.writeValueAsString(node));
            assertThat(Sql.json(Sql.json(node))).as(text).isEqualTo(node);
        }
        assertThat(Sql.json((JsonNode) null)).isNull();
    }
}
