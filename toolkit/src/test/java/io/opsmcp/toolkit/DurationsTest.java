package io.opsmcp.toolkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

    @ParameterizedTest
    @CsvSource({
        "90s,90",
        "15m,900",
        "15min,900",
        "15mins,900",
        "2h,7200",
        "2hrs,7200",
        "1h30m,5400",
        "3d,259200",
        "1w,604800",
        "1d2h,93600",
        "PT15M,900",
        "pt15m,900",
        "P1DT2H,93600",
        "30minutes,1800",
        "2hours,7200",
        "1h30m15s,5415"
    })
    void everyToolsetsFormerGrammarAndIsoReadTheSame(String text, long seconds) {
        assertThat(Durations.parse("since", text)).isEqualTo(Duration.ofSeconds(seconds));
        // the published pattern accepts exactly what the parser accepts
        assertThat(Pattern.compile(Durations.PATTERN).matcher(text).matches()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "15",
                "m15",
                "15 m",
                "-5m",
                "1.5h",
                "15x",
                "30m1h",
                "1h1h",
                "0s",
                "PT0S",
                "P",
                "1h 30m",
                "99999999h",
                "1e3s",
                "2H",
                "15Min",
                "15m\n"
            })
    void rejectsWhatIsNotOneDurationNamingTheField(String text) {
        assertThatThrownBy(() -> Durations.parse("timeout", text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("timeout: must be");
    }

    @Test
    void aPathologicallyLongValueIsRejectedWithoutWork() {
        String attack = "1h".repeat(100_000);
        assertThatThrownBy(() -> Durations.parse("since", attack)).hasMessageStartingWith("since: must be");
    }

    @Test
    void sinceReadsDurationsAgoDatesAndTimes() {
        assertThat(Durations.since("since", "30m", NOW)).isEqualTo(NOW.minusSeconds(1800));
        assertThat(Durations.since("since", "2026-12-03", NOW)).isEqualTo(Instant.parse("2026-12-03T00:00:00Z"));
        assertThat(Durations.since("since", "2026-12-04T10:00:00+02:00", NOW))
                .isEqualTo(Instant.parse("2026-12-04T08:00:00Z"));
        assertThat(Durations.since("since", "2026-12-04T10:00:00.5Z", NOW))
                .isEqualTo(Instant.parse("2026-12-04T10:00:00.5Z"));
        assertThat(Pattern.compile(Durations.SINCE_PATTERN)
                        .matcher("2026-12-04T10:00:00Z")
                        .matches())
                .isTrue();
    }

    @Test
    void sinceRejectsTheFutureAndImpossibleDates() {
        assertThatThrownBy(() -> Durations.since("since", "2026-12-05T00:00:00Z", NOW))
                .hasMessage("since: must not be in the future");
        assertThatThrownBy(() -> Durations.since("since", "2026-02-30", NOW))
                .hasMessageContaining("since: '2026-02-30' is not a valid date");
        assertThatThrownBy(() -> Durations.since("since", "yesterday", NOW)).hasMessageStartingWith("since: must be");
    }

    @Test
    void formatReadsBack() {
        for (long s : new long[] {1, 59, 60, 61, 3600, 5400, 86_400, 93_784, 700_000}) {
            Duration d = Duration.ofSeconds(s);
            assertThat(Durations.parse("x", Durations.format(d))).isEqualTo(d);
        }
    }
}
