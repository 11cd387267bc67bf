package io.opsmcp.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The JSON text an audit column gets: the empty object's shortcut writes what the mapper writes. */
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
        for (String text :
                new String[] {"[]", "{\"a\":null}", "{\"a\":{}}", "null", "\"{}\"", "0", "{\"k\":\"é\\u2028\"}"}) {
            JsonNode node = JSON.readTree(text);
            assertThat(Sql.json(node)).as(text).isEqualTo(JSON.writeValueAsString(node));
            assertThat(Sql.json(Sql.json(node))).as(text).isEqualTo(node);
        }
        assertThat(Sql.json((JsonNode) null)).isNull();
    }
}
