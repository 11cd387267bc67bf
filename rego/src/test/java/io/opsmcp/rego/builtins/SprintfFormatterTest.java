package io.opsmcp.rego.builtins;

import static io.opsmcp.rego.builtins.BuiltinTestSupport.callJson;
import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.rego.value.ArrayValue;
import io.opsmcp.rego.value.BooleanValue;
import io.opsmcp.rego.value.NumberValue;
import io.opsmcp.rego.value.SetValue;
import io.opsmcp.rego.value.StringValue;
import io.opsmcp.rego.value.Value;
import java.util.List;
import org.junit.jupiter.api.Test;

class SprintfFormatterTest {

    private static String fmt(String format, String jsonArgs) {
        return ((StringValue) callJson("sprintf", "\"" + format + "\"", jsonArgs)).value();
    }

    private static String fmt(String format, Value... args) {
        return SprintfFormatter.format(format, List.of(args));
    }

    @Test
    void bigIntegersPrintInFull() {
        assertThat(fmt("%s", "[123456789123456789123]")).isEqualTo("123456789123456789123");
        assertThat(fmt("%d", "[1208925819614629174706175]")).isEqualTo("1208925819614629174706175");
        assertThat(fmt("%x", "[1208925819614629174706175]")).isEqualTo("ffffffffffffffffffff");
    }

    @Test
    void integersWithFlags() {
        assertThat(fmt("%d|%5d|%-5d|%05d|%+d|%x|%X|%o|%b|%#x", "[42,42,42,-42,42,255,255,8,5,255]"))
                .isEqualTo("42|   42|42   |-0042|+42|ff|FF|10|101|0xff");
        assertThat(fmt("%c|%q|%U", "[65,65,65]")).isEqualTo("A|'A'|U+0041");
        assertThat(fmt("%s", "[5]")).isEqualTo("%!s(int=5)");
    }

    @Test
    void floatsLikeGo() {
        assertThat(fmt("%v|%f|%.2f|%e|%g|%G", "[1.5,1.5,3.14159,1234.5678,0.00001,0.00000015]"))
                .isEqualTo("1.5|1.500000|3.14|1.234568e+03|1e-05|1.5E-07");
        assertThat(fmt("%v", "[1234567.5]")).isEqualTo("1.2345675e+06");
        assertThat(fmt("%8.3f|%-8.3f|%08.3f", "[3.14159,3.14159,-3.14159]")).isEqualTo("   3.142|3.142   |-003.142");
        assertThat(fmt("%d", "[1.5]")).isEqualTo("%!d(float64=1.5)");
    }

    @Test
    void stringsAndCompositeValues() {
        assertThat(fmt("%s|%q|%10s|%-4s|%.2s|%x", "[\"hi\",\"a\\\"b\",\"r\",\"l\",\"abc\",\"hi\"]"))
                .isEqualTo("hi|\"a\\\"b\"|         r|l   |ab|6869");
        assertThat(fmt(
                        "%v %v %v",
                        ArrayValue.of(NumberValue.of(1), StringValue.of("a")),
                        SetValue.of(List.of(NumberValue.of(2), NumberValue.of(1))),
                        BooleanValue.TRUE))
                .isEqualTo("[1, \"a\"] {1, 2} true");
        assertThat(fmt("%t", BooleanValue.TRUE)).isEqualTo("%!t(string=true)");
    }

    @Test
    void missingAndExtraArguments() {
        assertThat(fmt("%s and %s", StringValue.of("a"))).isEqualTo("a and %!s(MISSING)");
        assertThat(fmt("x", NumberValue.of(1), StringValue.of("a"))).isEqualTo("x%!(EXTRA int=1, string=a)");
        assertThat(fmt("100%%")).isEqualTo("100%");
        assertThat(fmt("%")).isEqualTo("%!(NOVERB)");
    }
}
