package io.opsmcp.rego.builtins;

import static io.opsmcp.rego.builtins.BuiltinTestSupport.assertJsonError;
import static io.opsmcp.rego.builtins.BuiltinTestSupport.call;
import static io.opsmcp.rego.builtins.BuiltinTestSupport.callJson;
import static io.opsmcp.rego.builtins.BuiltinTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.rego.value.NumberValue;
import io.opsmcp.rego.value.StringValue;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimeBuiltinsTest {

    @Test
    void parseRfc3339AtTheInt64Limits() {
        assertThat(callJson("time.parse_rfc3339_ns", "\"1677-09-21T00:12:43.145224192-00:00\""))
                .isEqualTo(NumberValue.of(Long.MIN_VALUE));
        assertThat(callJson("time.parse_rfc3339_ns", "\"2262-04-11T23:47:16.854775807-00:00\""))
                .isEqualTo(NumberValue.of(Long.MAX_VALUE));
        assertThat(callJson("time.parse_rfc3339_ns", "\"2017-06-02T19:00:00-07:00\""))
                .isEqualTo(NumberValue.of(1496455200000000000L));
        assertJsonError("time.parse_rfc3339_ns", "\"2262-04-11T23:47:16.854775808-00:00\"")
                .hasMessage("time outside of valid range");
    }

    @Test
    void parseNsWithGoLayouts() {
        assertThat(callJson("time.parse_ns", "\"2006-01-02\"", "\"2020-02-02\""))
                .isEqualTo(NumberValue.of(1580601600000000000L));
        assertThat(callJson("time.parse_ns", "\"RFC822Z\"", "\"02 Feb 20 10:30 +0100\""))
                .isEqualTo(NumberValue.of(1580635800000000000L));
        assertThat(callJson("time.parse_ns", "\"Jan 2, 2006 at 3:04pm (MST)\"", "\"Feb 3, 2013 at 7:54pm (UTC)\""))
                .isEqualTo(NumberValue.of(1359921240000000000L));
        assertJsonError("time.parse_ns", "\"2006-01-02\"", "\"2020-02-30\"").isInstanceOf(BuiltinError.class);
    }

    @Test
    void dateClockWeekdayFormat() {
        assertThat(callJson("time.weekday", "1518177600000000000")).isEqualTo(StringValue.of("Friday"));
        assertThat(callJson("time.date", "[1518177600000000000, \"Asia/Tokyo\"]"))
                .isEqualTo(json("[2018, 2, 9]"));
        assertThat(callJson("time.clock", "1518177600000000000")).isEqualTo(json("[12, 0, 0]"));
        assertThat(callJson("time.format", "1518177600000000001"))
                .isEqualTo(StringValue.of("2018-02-09T12:00:00.000000001Z"));
        assertThat(callJson("time.format", "[1518177600000000000, \"America/New_York\", \"2006-01-02 15:04 -0700\"]"))
                .isEqualTo(StringValue.of("2018-02-09 07:00 -0500"));
        assertJsonError("time.date", "1582977600000000000000000").hasMessage("timestamp too big");
    }

    @Test
    void addDateNormalisesLikeGo() {
        long jan31 = 1612051200000000000L; // 2021-01-31T00:00:00Z
        assertThat(callJson("time.add_date", Long.toString(jan31), "0", "1", "0"))
                .isEqualTo(NumberValue.of(1614729600000000000L));
    }

    @Test
    void diffAndNow() {
        assertThat(callJson("time.diff", "1580601600000000000", "1583020800000000000"))
                .isEqualTo(json("[0,0,28,0,0,0]"));
        assertThat(call(new BuiltinTestSupport.Ctx(42), "time.now_ns", List.of()))
                .isEqualTo(NumberValue.of(42));
    }

    @Test
    void parseDuration() {
        assertThat(callJson("time.parse_duration_ns", "\"1h30m\"")).isEqualTo(NumberValue.of(5_400_000_000_000L));
        assertThat(callJson("time.parse_duration_ns", "\"1.5s\"")).isEqualTo(NumberValue.of(1_500_000_000L));
        assertThat(callJson("time.parse_duration_ns", "\"-2us\"")).isEqualTo(NumberValue.of(-2_000L));
        assertJsonError("time.parse_duration_ns", "\"abc\"").hasMessage("time: invalid duration \"abc\"");
    }
}
