package io.opsmcp.server.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The SDK's validator behind {@link LazyJsonSchemaValidator}: made once, on first use, and judging as before. */
class LazyJsonSchemaValidatorTest {

    private static final Map<String, Object> SCHEMA = Map.of(
            "type", "object", "properties", Map.of("count", Map.of("type", "integer")), "required", List.of("count"));

    @Test
    void theSdksValidatorIsMadeOnFirstUseOnceAndJudgesTheSame() {
        AtomicInteger made = new AtomicInteger();
        JsonSchemaValidator lazy = new LazyJsonSchemaValidator(() -> {
            made.incrementAndGet();
            return new io.modelcontextprotocol.json.schema.jackson3.DefaultJsonSchemaValidator();
        });
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
}
