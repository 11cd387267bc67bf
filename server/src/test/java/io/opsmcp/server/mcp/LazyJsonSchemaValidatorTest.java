package io.opsmcp.server.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.json.schema.jackson3.DefaultJsonSchemaValidator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The SDK's validator behind {@link LazyJsonSchemaValidator}: not made by the server's build, made once on first use,
 * and judging as before — schemas checked after the build included.
 */
class LazyJsonSchemaValidatorTest {

    private static final Map<String, Object> SCHEMA = Map.of(
            "type", "object", "properties", Map.of("count", Map.of("type", "integer")), "required", List.of("count"));
    /** Not a schema: {@code type} must be a string or an array of them (2020-12 metaschema). */
    private static final Map<String, Object> NOT_A_SCHEMA = Map.of("type", 42);

    @Test
    void theSdksValidatorIsMadeOnFirstUseOnceAndJudgesTheSame() {
        AtomicInteger made = new AtomicInteger();
        LazyJsonSchemaValidator lazy = new LazyJsonSchemaValidator(() -> {
            made.incrementAndGet();
            return new DefaultJsonSchemaValidator();
        });
        assertThat(lazy.validateSchema(NOT_A_SCHEMA).valid())
                .as("the build's check of the server's own definitions is left to ShippedToolsetsTest")
                .isTrue();
        assertThat(made).hasValue(0);

        assertThat(lazy.validate(SCHEMA, Map.of("count", 3)).valid()).isTrue();
        assertThat(lazy.validate(SCHEMA, Map.of("count", "three")).valid()).isFalse();
        assertThat(lazy.validate(SCHEMA, Map.of()).valid()).isFalse();
        assertThat(made).hasValue(1);
        assertThat(new LazyJsonSchemaValidator()
                        .validate(SCHEMA, Map.of("count", "x"))
                        .valid())
                .as("the SDK's default")
                .isFalse();
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
