package io.opsmcp.server.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.json.schema.jackson3.DefaultJsonSchemaValidator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link LazyJsonSchemaValidator}: the SDK's validator is not made by the server's build, made once on first use for
 * schema checks after the build; structured output is judged as the SDK's validator judges it, by each schema itself.
 */
class LazyJsonSchemaValidatorTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final Map<String, Object> SCHEMA = Map.of(
            "type", "object", "properties", Map.of("count", Map.of("type", "integer")), "required", List.of("count"));
    /** Not a schema: {@code type} must be a string or an array of them (2020-12 metaschema). */
    private static final Map<String, Object> NOT_A_SCHEMA = Map.of("type", 42);

    @Test
    void theSdksValidatorIsMadeOnFirstUseOnce() {
        AtomicInteger made = new AtomicInteger();
        LazyJsonSchemaValidator lazy = new LazyJsonSchemaValidator(() -> {
            made.incrementAndGet();
            return new DefaultJsonSchemaValidator();
        });
        assertThat(lazy.validateSchema(NOT_A_SCHEMA).valid())
                .as("the build's check of the server's own definitions is left to ShippedToolsetsTest")
                .isTrue();
        assertThat(lazy.validate(SCHEMA, Map.of("count", 3)).valid()).isTrue();
        assertThat(made).as("structured output is checked without it").hasValue(0);
        lazy.definitionsChecked();
        assertThat(lazy.validateSchema(NOT_A_SCHEMA).valid()).isFalse();
        assertThat(lazy.validateSchema(SCHEMA).valid()).isTrue();
        assertThat(made).hasValue(1);
    }

    @Test
    void structuredOutputIsJudgedAsTheSdkJudgesItWithTheSameMessages() {
        LazyJsonSchemaValidator lazy = new LazyJsonSchemaValidator(DefaultJsonSchemaValidator::new);
        JsonSchemaValidator sdk = new DefaultJsonSchemaValidator();
        List<Object> contents = List.of(
                Map.of("count", 3),
                Map.of("count", "three"),
                Map.of(),
                List.of(1, 2),
                "{\"count\":4}",
                "{\"count\":",
                JSON.readTree("{\"count\":5}"),
                JSON.readTree("{\"count\":5.5}"),
                JSON.readTree("{\"other\":true}"));
        for (int round = 0; round < 2; round++) { // compiled on the first round, from the cache on the second
            for (Object content : contents) {
                var ours = lazy.validate(SCHEMA, content);
                var theirs = sdk.validate(SCHEMA, content);
                assertThat(ours.valid()).as("%s", content).isEqualTo(theirs.valid());
                assertThat(ours.errorMessage()).as("%s", content).isEqualTo(theirs.errorMessage());
            }
        }
        assertThatThrownBy(() -> lazy.validate(null, Map.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> lazy.validate(SCHEMA, null)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Two different schemas with equal hash codes ("Aa" and "BB" hash alike): a cache keyed by the schema's hash,
     * as the SDK's is, would judge the second by the first; each is judged by itself, in either order.
     */
    @Test
    void schemasWithEqualHashCodesAreNotConfused() {
        Map<String, Object> needsAa = Map.of(
                "type", "object", "properties", Map.of("Aa", Map.of("type", "integer")), "required", List.of("Aa"));
        Map<String, Object> needsBb = Map.of(
                "type", "object", "properties", Map.of("BB", Map.of("type", "integer")), "required", List.of("BB"));
        assertThat(needsAa).hasSameHashCodeAs(needsBb).isNotEqualTo(needsBb);
        LazyJsonSchemaValidator lazy = new LazyJsonSchemaValidator(DefaultJsonSchemaValidator::new);
        assertThat(lazy.validate(needsAa, Map.of("Aa", 1)).valid()).isTrue();
        assertThat(lazy.validate(needsBb, Map.of("Aa", 1)).valid()).isFalse();
        assertThat(lazy.validate(needsBb, Map.of("BB", 1)).valid()).isTrue();
        assertThat(lazy.validate(needsAa, Map.of("BB", 1)).valid()).isFalse();
    }

    /** More schema maps than are cached (each a new instance): still each judged by itself. */
    @Test
    void schemasBeyondTheCacheAreStillJudged() {
        LazyJsonSchemaValidator lazy = new LazyJsonSchemaValidator(DefaultJsonSchemaValidator::new);
        for (int i = 0; i < LazyJsonSchemaValidator.MAX_CACHED + 20; i++) {
            Map<String, Object> schema = Map.of(
                    "type",
                    "object",
                    "properties",
                    Map.of("n" + i, Map.of("type", "integer")),
                    "required",
                    List.of("n" + i));
            assertThat(lazy.validate(schema, Map.of("n" + i, i)).valid()).isTrue();
            assertThat(lazy.validate(schema, Map.of("n" + i, "x")).valid()).isFalse();
        }
    }

    @Test
    void afterTheBuildSchemasAreCheckedByTheSdksValidator() {
        LazyJsonSchemaValidator lazy = new LazyJsonSchemaValidator(DefaultJsonSchemaValidator::new);
        lazy.definitionsChecked();
        JsonSchemaValidator sdk = new DefaultJsonSchemaValidator();
        assertThat(sdk.validateSchema(NOT_A_SCHEMA).valid())
                .as("the SDK rejects it")
                .isFalse();
        assertThat(lazy.validateSchema(NOT_A_SCHEMA).valid()).isFalse();
        assertThat(lazy.validateSchema(SCHEMA).valid()).isTrue();
    }
}
