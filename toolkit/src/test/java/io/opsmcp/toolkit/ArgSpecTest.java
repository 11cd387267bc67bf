package io.opsmcp.toolkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsmcp.core.tool.ToolException;
import io.opsmcp.toolkit.schema.ArgumentValidator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class ArgSpecTest {

    enum State implements ArgSpec.Wire {
        ACTIVE,
        SCALED_DOWN;

        @Override
        public String wireName() {
            return name().toLowerCase().replace('_', '-');
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

    static final ArgSpec<String> HOST = ArgSpec.string("host")
            .pattern("^[a-z][a-z0-9-]{0,62}$")
            .maxLength(63)
            .description("Host name")
            .required();
    static final ArgSpec<Integer> LIMIT = ArgSpec.integer("limit").range(1, 500).defaultValue(50);
    static final ArgSpec<Instant> SINCE =
            ArgSpec.since("since").defaultAgo(Duration.ofHours(1)).maxAge(Duration.ofDays(7));
    static final ArgSpec<State> STATE =
            ArgSpec.enumeration("state", State.class).defaultValue(State.ACTIVE);
    static final ArgSpec<List<String>> UNITS =
            ArgSpec.stringList("units").pattern("^[a-z.@-]+$").maxItems(3);
    static final ArgSpec<Duration> TIMEOUT =
            ArgSpec.duration("timeout").durationRange(Duration.ofSeconds(1), Duration.ofMinutes(10));
    static final ArgSpec<Boolean> FOLLOW = ArgSpec.bool("follow");

    private static ObjectNode args(String json) {
        return (ObjectNode) JSON.readTree(json);
    }

    @Test
    void oneDeclarationPublishesTheSchemaAndReadsTheValue() {
        ObjectNode schema = ArgSpec.schema(HOST, LIMIT, SINCE, STATE, UNITS, TIMEOUT, FOLLOW);
        assertThat(schema.get("required").toString()).isEqualTo("[\"host\"]");
        assertThat(schema.get("additionalProperties").asBoolean()).isFalse();
        assertThat(schema.at("/properties/limit/default").asInt()).isEqualTo(50);
        assertThat(schema.at("/properties/since/default").asString()).isEqualTo("1h");
        assertThat(schema.at("/properties/state/enum").toString()).isEqualTo("[\"active\",\"scaled-down\"]");

        ObjectNode a = args("{\"host\":\"web-1\",\"since\":\"2h\",\"state\":\"scaled-down\",\"units\":[\"nginx\"],"
                + "\"timeout\":\"90s\",\"follow\":true}");
        assertThat(HOST.read(a)).isEqualTo("web-1");
        assertThat(LIMIT.read(a)).isEqualTo(50);
        assertThat(SINCE.read(a, NOW)).isEqualTo(NOW.minusSeconds(7200));
        assertThat(STATE.read(a)).isEqualTo(State.SCALED_DOWN);
        assertThat(UNITS.read(a)).containsExactly("nginx");
        assertThat(TIMEOUT.read(a)).isEqualTo(Duration.ofSeconds(90));
        assertThat(FOLLOW.read(a)).isTrue();
    }

    @Test
    void defaultsApplyWhenAbsentOrNull() {
        ObjectNode a = args("{\"host\":\"web-1\",\"limit\":null}");
        assertThat(LIMIT.read(a)).isEqualTo(50);
        assertThat(SINCE.read(a, NOW)).isEqualTo(NOW.minusSeconds(3600));
        assertThat(STATE.read(a)).isEqualTo(State.ACTIVE);
        assertThat(UNITS.read(a)).isNull();
        assertThat(UNITS.readOptional(a)).isEmpty();
        assertThat(FOLLOW.read(a)).isFalse();
    }

    @Test
    void sinceOlderThanMaxAgeIsRaisedToIt() {
        assertThat(SINCE.read(args("{\"since\":\"30d\"}"), NOW)).isEqualTo(NOW.minus(Duration.ofDays(7)));
    }

    @Test
    void everyBrokenRuleIsAnInvalidArgumentNamingTheField() {
        assertInvalid(HOST, "{}", "host: is required");
        assertInvalid(HOST, "{\"host\":5}", "host: must be a string");
        assertInvalid(HOST, "{\"host\":\"Web 1\"}", "host: must match ^[a-z][a-z0-9-]{0,62}$");
        assertInvalid(HOST, "{\"host\":\"" + "a".repeat(64) + "\"}", "host: must be at most 63 characters");
        assertInvalid(LIMIT, "{\"limit\":0}", "limit: must be 1..500");
        assertInvalid(LIMIT, "{\"limit\":1.5}", "limit: must be an integer 1..500");
        assertInvalid(LIMIT, "{\"limit\":\"5\"}", "limit: must be an integer 1..500");
        assertInvalid(LIMIT, "{\"limit\":99999999999999999999}", "limit: must be an integer 1..500");
        assertInvalid(STATE, "{\"state\":\"SCALED_DOWN\"}", "state: must be one of active, scaled-down");
        assertInvalid(UNITS, "{\"units\":\"nginx\"}", "units: must be an array of strings");
        assertInvalid(UNITS, "{\"units\":[\"a\",\"b\",\"c\",\"d\"]}", "units: must have at most 3 items");
        assertInvalid(UNITS, "{\"units\":[\"ok\",\"$(reboot)\"]}", "units[1]: must match ^[a-z.@-]+$");
        assertInvalid(TIMEOUT, "{\"timeout\":\"1h\"}", "timeout: must be between 1s and 10m");
        assertInvalid(TIMEOUT, "{\"timeout\":\"soon\"}", "timeout: must be " + Durations.GRAMMAR);
        assertInvalid(FOLLOW, "{\"follow\":\"yes\"}", "follow: must be true or false");
        assertThatThrownBy(() -> SINCE.read(args("{\"since\":\"2099-01-01\"}"), NOW))
                .isInstanceOf(ToolException.class)
                .hasMessage("since: must not be in the future");
    }

    @Test
    void thePublishedSchemaAndTheReaderAgree() {
        ArgumentValidator validator = new ArgumentValidator();
        validator.register("t", ArgSpec.schema(HOST, LIMIT, SINCE, STATE, UNITS, TIMEOUT, FOLLOW));
        String[] valid = {
            "{\"host\":\"a\"}",
            "{\"host\":\"a\",\"since\":\"1h30m\"}",
            "{\"host\":\"a\",\"since\":\"PT5M\"}",
            "{\"host\":\"a\",\"since\":\"2026-12-01T00:00:00Z\"}",
            "{\"host\":\"a\",\"timeout\":\"5min\"}"
        };
        for (String v : valid) {
            assertThat(validator.validate("t", args(v))).as(v).isEmpty();
            ObjectNode a = args(v);
            SINCE.read(a, NOW);
            TIMEOUT.read(a);
        }
        String[] invalid = {
            "{}",
            "{\"host\":\"a\",\"since\":\"soon\"}",
            "{\"host\":\"a\",\"limit\":501}",
            "{\"host\":\"a\",\"state\":\"gone\"}",
            "{\"host\":\"a\",\"extra\":1}",
            "{\"host\":\"a\",\"units\":[1]}"
        };
        for (String v : invalid) {
            assertThat(validator.validate("t", args(v))).as(v).isNotEmpty();
        }
    }

    @Test
    void idsPast2To31ReadAsLong() {
        ArgSpec<Long> jobId = ArgSpec.longInteger("job_id").atLeast(1).required();
        assertThat(jobId.read(args("{\"job_id\":12345678901}"))).isEqualTo(12_345_678_901L);
        assertThat(jobId.schema().toString()).isEqualTo("{\"type\":\"integer\",\"minimum\":1}");
        assertInvalid(jobId, "{\"job_id\":0}", "job_id: must be >= 1");
        assertInvalid(jobId, "{\"job_id\":1e3}", "job_id: must be an integer >= 1");
        assertInvalid(jobId, "{\"job_id\":99999999999999999999}", "job_id: must be an integer >= 1");
    }

    @Test
    void aNameIsDeclaredOnce() {
        assertThatThrownBy(() -> ArgSpec.schema(HOST, HOST)).hasMessage("argument host declared twice");
        assertThatThrownBy(() -> ArgSpec.string("Host")).hasMessageContaining("snake_case");
        assertThatThrownBy(() -> LIMIT.defaultAgo(Duration.ofHours(1))).isInstanceOf(IllegalStateException.class);
    }

    private static void assertInvalid(ArgSpec<?> spec, String json, String message) {
        assertThatThrownBy(() -> spec.read(args(json), NOW))
                .isInstanceOf(ToolException.class)
                .hasMessage(message)
                .extracting(e -> ((ToolException) e).kind())
                .isEqualTo(ToolException.Kind.INVALID_ARGUMENT);
    }

    @Test
    void rejectedFormsAreRefusedByTheReaderAndTheSchemaPublishesOnlyThePortablePattern() {
        ArgSpec<String> ref = ArgSpec.string("ref")
                .pattern("^[A-Za-z0-9._/-]{1,255}$")
                .reject("^-|\\.\\.", "must not start with '-' or contain '..'");
        assertThat(ref.schema().get("pattern").asString()).isEqualTo("^[A-Za-z0-9._/-]{1,255}$");
        assertThatThrownBy(() -> ref.read((tools.jackson.databind.node.ObjectNode)
                        tools.jackson.databind.json.JsonMapper.builder().build().readTree("{\"ref\":\"-x\"}")))
                .hasMessage("ref: must not start with '-' or contain '..'");
        ArgSpec<String> arn = ArgSpec.string("arn").pattern("^arn:aws:[a-z]+$").schemaPattern("^[a-z:]+$");
        assertThat(arn.schema().get("pattern").asString()).isEqualTo("^[a-z:]+$");
        assertThatThrownBy(() -> arn.read((tools.jackson.databind.node.ObjectNode)
                        tools.jackson.databind.json.JsonMapper.builder().build().readTree("{\"arn\":\"abc\"}")))
                .hasMessage("arn: must match ^arn:aws:[a-z]+$");
    }
}
