package io.opsmcp.toolkit.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Eager and {@link ArgumentValidator#deferred() deferred} validators judge the same; only when they compile differs. */
class ArgumentValidatorTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNode SCHEMA = JSON.readTree(
            "{\"type\":\"object\",\"properties\":{\"host\":{\"type\":\"string\",\"pattern\":\"^[a-z]+$\"}},"
                    + "\"required\":[\"host\"],\"additionalProperties\":false}");
    private static final JsonNode INVALID = JSON.readTree("{\"type\":\"string\",\"pattern\":\"(unclosed\"}");

    @Test
    void aDeferredValidatorGivesTheSameMessages() {
        ArgumentValidator eager = new ArgumentValidator();
        ArgumentValidator deferred = ArgumentValidator.deferred();
        eager.register("t", SCHEMA);
        deferred.register("t", SCHEMA);

        for (String args :
                new String[] {"{\"host\":\"web\"}", "{}", "{\"host\":\"Web 1\"}", "{\"host\":\"a\",\"x\":1}"}) {
            assertThat(deferred.validate("t", JSON.readTree(args)))
                    .as(args)
                    .isEqualTo(eager.validate("t", JSON.readTree(args)));
        }
        assertThat(deferred.validate("t", JSON.readTree("{}"))).containsExactly("host: is required (rule: required)");
    }

    @Test
    void anInvalidSchemaFailsTheStartOrItsToolsCallsNeverPassesThem() {
        assertThatThrownBy(() -> new ArgumentValidator().register("bad", INVALID))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tool bad: invalid input schema");

        ArgumentValidator deferred = ArgumentValidator.deferred();
        deferred.register("bad", INVALID);
        deferred.register("good", SCHEMA);
        assertThat(deferred.validate("good", JSON.readTree("{\"host\":\"web\"}")))
                .isEmpty();
        assertThatThrownBy(() -> deferred.validate("bad", JSON.readTree("{}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tool bad: invalid input schema");
        assertThatThrownBy(deferred::compileAll).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> deferred.validate("unknown", JSON.readTree("{}")))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aBackgroundCompilationStopsWhenAskedAndTheRestCompileOnTheirFirstCall() throws Exception {
        ArgumentValidator deferred = ArgumentValidator.deferred();
        deferred.register("a", SCHEMA);
        deferred.register("b", SCHEMA);
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();

        // asked before each schema: stops before the second
        assertThat(deferred.compileAll(() -> asked.incrementAndGet() > 1)).isFalse();
        assertThat(asked).hasValue(2);
        deferred.register("c", INVALID);
        // every tool is still judged the same, compiled now if it was not then
        for (String tool : new String[] {"a", "b"}) {
            assertThat(deferred.validate(tool, JSON.readTree("{}")))
                    .containsExactly("host: is required (rule: required)");
        }
        assertThatThrownBy(() -> deferred.validate("c", JSON.readTree("{}")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> deferred.compileAll(() -> false)).isInstanceOf(IllegalArgumentException.class);
    }
}
