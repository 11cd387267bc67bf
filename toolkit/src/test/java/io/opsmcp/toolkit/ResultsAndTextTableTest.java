package io.opsmcp.toolkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultsAndTextTableTest {

    enum Verdict {
        HEALTHY,
        CRASH_LOOP
    }

    record Health(String serviceName, int desiredCount, Verdict verdict, Instant checkedAt, String note) {}

    @Test
    void recordsBecomeSnakeCaseJsonWithLowerCaseEnumsAndNoNulls() {
        var json = Results.object(
                new Health("checkout", 4, Verdict.CRASH_LOOP, Instant.parse("2026-12-04T10:00:00Z"), null));
        assertThat(json.get("service_name").asString()).isEqualTo("checkout");
        assertThat(json.get("desired_count").asInt()).isEqualTo(4);
        assertThat(json.get("verdict").asString()).isEqualTo("crash_loop");
        assertThat(json.get("checked_at").asString()).isEqualTo("2026-12-04T10:00:00Z");
        assertThat(json.has("note")).isFalse();
        assertThatThrownBy(() -> Results.object(List.of(1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tableColumnsAlignAndLinesHaveNoTrailingBlanks() {
        String table = TextTable.render(
                List.of("NAME", "STATE"), List.of(List.of("nginx.service", "active"), Arrays.asList("db", null)));
        assertThat(table).isEqualTo("NAME           STATE\nnginx.service  active\ndb             -\n");
        assertThatThrownBy(() -> TextTable.render(List.of("A", "B"), List.of(List.of("x"))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
