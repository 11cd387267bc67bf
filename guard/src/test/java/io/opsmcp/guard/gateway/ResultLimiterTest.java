package io.opsmcp.guard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link ResultLimiter#limit(JsonNode)} cuts every long string at any depth in a copy, leaving the given tree as it
 * was; a tree with nothing to cut is returned itself.
 */
class ResultLimiterTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final ResultLimiter limiter = new ResultLimiter(4096); // strings are cut above 1,024 bytes

    @Test
    void longStringsAreCutAtAnyDepthInACopy() {
        String longText = "x".repeat(5000);
        String[] shapes = {"\"%s\"", "{\"a\":\"%s\"}", "{\"a\":[1,{\"b\":\"%s\"}],\"c\":\"short\"}", "[[\"%s\"],null]"};
        for (String shape : shapes) {
            String json = shape.formatted(longText);
            JsonNode given = JSON.readTree(json);
            JsonNode limited = limiter.limit(given);
            assertThat(limited).as(shape).isNotEqualTo(given);
            assertThat(limited.toString()).as(shape).contains("[truncated: ").doesNotContain(longText);
            assertThat(limited.toString().length()).isLessThan(1200 + shape.length() + 40);
            assertThat(given).as("the given tree is unchanged: %s", shape).isEqualTo(JSON.readTree(json));
        }
        // one long string among short ones: the short ones are kept as they were
        JsonNode mixed = JSON.readTree("{\"k\":\"v\",\"n\":3,\"t\":true,\"z\":null,\"l\":\"" + longText + "\"}");
        JsonNode out = limiter.limit(mixed);
        assertThat(out.get("k").asString()).isEqualTo("v");
        assertThat(out.get("n").asInt()).isEqualTo(3);
        assertThat(out.get("t").asBoolean()).isTrue();
        assertThat(out.get("z").isNull()).isTrue();
        assertThat(out.get("l").asString()).startsWith("x".repeat(1000)).contains("[truncated: ");
    }

    @Test
    void aTreeWithNothingToCutIsReturnedItself() {
        String atTheCap = "y".repeat(1024);
        String multiByte = "é".repeat(512); // 1,024 bytes in UTF-8
        String[] cases = {
            "{}",
            "[]",
            "{\"a\":\"" + atTheCap + "\",\"b\":[\"" + multiByte + "\",1,null,{}]}",
            "\"" + atTheCap + "\"",
            "7"
        };
        for (String json : cases) {
            JsonNode given = JSON.readTree(json);
            assertThat(limiter.limit(given)).as(json).isSameAs(given);
        }
        // one byte more than the cap is cut
        JsonNode over = JSON.readTree("{\"a\":[\"" + atTheCap + "z\"]}");
        assertThat(limiter.limit(over)).isNotSameAs(over).isNotEqualTo(over);
        assertThat(limiter.limit((JsonNode) null)).isNull();
    }
}
