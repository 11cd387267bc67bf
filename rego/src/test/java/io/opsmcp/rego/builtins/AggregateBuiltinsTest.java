package io.opsmcp.rego.builtins;

import static io.opsmcp.rego.builtins.BuiltinTestSupport.assertJsonError;
import static io.opsmcp.rego.builtins.BuiltinTestSupport.callJson;
import static io.opsmcp.rego.builtins.BuiltinTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.rego.value.NumberValue;
import io.opsmcp.rego.value.SetValue;
import java.util.List;
import org.junit.jupiter.api.Test;

class AggregateBuiltinsTest {

    @Test
    void countCountsRunesMembersAndKeys() {
        assertThat(callJson("count", "[1,2,3,4]")).isEqualTo(NumberValue.of(4));
        assertThat(callJson("count", "{\"a\":1}")).isEqualTo(NumberValue.of(1));
        assertThat(callJson("count", "\"åäö\"")).isEqualTo(NumberValue.of(3));
    }

    @Test
    void countRejectsNumbersWithOpaText() {
        assertJsonError("count", "1")
                .isInstanceOf(BuiltinTypeError.class)
                .hasMessage("operand 1 must be one of {array, object, set, string} but got number");
    }

    @Test
    void sumAndProductAreExact() {
        assertThat(BuiltinTestSupport.call(
                        "sum",
                        SetValue.of(
                                List.of(NumberValue.of(1), NumberValue.of(2), NumberValue.of(3), NumberValue.of(4)))))
                .isEqualTo(NumberValue.of(10));
        assertThat(callJson("sum", "[0.1, 0.2]")).isEqualTo(json("0.3"));
        assertThat(callJson("product", "[123456789123456789, 1000]")).isEqualTo(json("123456789123456789000"));
    }

    @Test
    void sumRejectsNonNumberElements() {
        assertJsonError("sum", "[1, \"a\"]")
                .isInstanceOf(BuiltinTypeError.class)
                .hasMessage("operand 1 must be array of numbers but got array containing string");
    }

    @Test
    void maxMinUseOpaOrderAndAreUndefinedWhenEmpty() {
        assertThat(callJson("max", "[1, \"a\", null]")).isEqualTo(json("\"a\""));
        assertThat(callJson("min", "[3, 1, 2]")).isEqualTo(NumberValue.of(1));
        assertThat(callJson("max", "[]")).isNull();
    }

    @Test
    void sortOrdersMixedTypes() {
        assertThat(callJson("sort", "[4, \"b\", 3, null, false]")).isEqualTo(json("[null, false, 3, 4, \"b\"]"));
        assertJsonError("sort", "\"x\"").hasMessage("operand 1 must be one of {set, array} but got string");
    }
}
