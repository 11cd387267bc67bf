package io.opsmcp.rego.builtins;

import static io.opsmcp.rego.builtins.BuiltinTestSupport.assertJsonError;
import static io.opsmcp.rego.builtins.BuiltinTestSupport.callJson;
import static io.opsmcp.rego.builtins.BuiltinTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.rego.value.BooleanValue;
import io.opsmcp.rego.value.NumberValue;
import io.opsmcp.rego.value.Values;
import org.junit.jupiter.api.Test;

class UnitsSemverBuiltinsTest {

    @Test
    void parseIsExact() {
        assertThat(callJson("units.parse", "\"500m\"")).isEqualTo(json("0.5"));
        assertThat(callJson("units.parse", "\"0.0005K\"")).isEqualTo(json("0.5"));
        assertThat(callJson("units.parse", "\"1Ki\"")).isEqualTo(NumberValue.of(1024));
        assertThat(callJson("units.parse", "\"3Mi\"")).isEqualTo(NumberValue.of(3145728));
        assertThat(Values.toJsonString(callJson("units.parse", "\"1G\""))).isEqualTo("1000000000");
        assertJsonError("units.parse", "\"\"").hasMessage("units.parse: no amount provided");
        assertJsonError("units.parse", "\"0.0.0\"").hasMessage("units.parse: could not parse amount to a number");
        assertJsonError("units.parse", "\" 327Mi \"").hasMessage("units.parse: spaces not allowed in resource strings");
        assertJsonError("units.parse", "\"10e10000000Ei\"").hasMessage("units.parse: exponent too large");
    }

    @Test
    void parseBytes() {
        assertThat(callJson("units.parse_bytes", "\"\\\"100TIB\\\"\"")).isEqualTo(json("109951162777600"));
        assertThat(callJson("units.parse_bytes", "\"1.1KiB\"")).isEqualTo(NumberValue.of(1126));
        assertThat(callJson("units.parse_bytes", "\"10eib\"")).isEqualTo(json("11529215046068469760"));
        assertThat(callJson("units.parse_bytes", "\"3.2E2MiB\"")).isEqualTo(NumberValue.of(335544320));
        assertThat(callJson("units.parse_bytes", "\"1e-2KB\"")).isEqualTo(NumberValue.of(10));
        assertThat(callJson("units.parse_bytes", "\"5E\"")).isEqualTo(json("5000000000000000000"));
        assertJsonError("units.parse_bytes", "\"GB\"").hasMessage("units.parse_bytes: no byte amount provided");
        assertJsonError("units.parse_bytes", "\"100 kb\"")
                .hasMessage("units.parse_bytes: spaces not allowed in resource strings");
    }

    @Test
    void semver() {
        assertThat(callJson("semver.compare", "\"1.0.0\"", "\"2.0.0\"")).isEqualTo(NumberValue.of(-1));
        assertThat(callJson("semver.compare", "\"1.2.3-0\"", "\"1.2.3-1\"")).isEqualTo(NumberValue.of(-1));
        assertThat(callJson("semver.compare", "\"1.2.3+01\"", "\"1.2.3+2\"")).isEqualTo(NumberValue.of(0));
        assertThat(callJson("semver.compare", "\"1.0.0-alpha\"", "\"1.0.0\"")).isEqualTo(NumberValue.of(-1));
        assertThat(callJson("semver.compare", "\"1.0.0-alpha.1\"", "\"1.0.0-alpha.beta\""))
                .isEqualTo(NumberValue.of(-1));
        assertJsonError("semver.compare", "\"1\"", "\"1.0.0\"")
                .isInstanceOf(BuiltinError.class)
                .hasMessage("operand 1: string \"1\" is not a valid SemVer");
        assertThat(callJson("semver.is_valid", "\"1.2.3-alpha.01\"")).isEqualTo(BooleanValue.FALSE);
        assertThat(callJson("semver.is_valid", "\"1.2.3-0a\"")).isEqualTo(BooleanValue.TRUE);
        assertThat(callJson("semver.is_valid", "\"1.2.3+\"")).isEqualTo(BooleanValue.FALSE);
        assertThat(callJson("semver.is_valid", "1")).isEqualTo(BooleanValue.FALSE);
    }
}
