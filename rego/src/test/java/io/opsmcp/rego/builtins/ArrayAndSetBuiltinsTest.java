package io.opsmcp.rego.builtins;

import static io.opsmcp.rego.builtins.BuiltinTestSupport.assertJsonError;
import static io.opsmcp.rego.builtins.BuiltinTestSupport.call;
import static io.opsmcp.rego.builtins.BuiltinTestSupport.callJson;
import static io.opsmcp.rego.builtins.BuiltinTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.rego.value.NumberValue;
import io.opsmcp.rego.value.SetValue;
import io.opsmcp.rego.value.StringValue;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArrayAndSetBuiltinsTest {

    @Test
    void concatSliceReverse() {
        assertThat(callJson("array.concat", "[1,2]", "[3,4]")).isEqualTo(json("[1,2,3,4]"));
        assertThat(callJson("array.slice", "[1,2,3,4,5]", "1", "3")).isEqualTo(json("[2,3]"));
        assertThat(callJson("array.slice", "[1,2,3]", "-5", "10")).isEqualTo(json("[1,2,3]"));
        assertThat(callJson("array.slice", "[1,2,3]", "2", "1")).isEqualTo(json("[]"));
        assertThat(callJson("array.reverse", "[1,2,3]")).isEqualTo(json("[3,2,1]"));
    }

    @Test
    void concatNamesTheBadOperand() {
        assertJsonError("array.concat", "{\"a\":1}", "[3]")
                .isInstanceOf(BuiltinTypeError.class)
                .hasMessage("operand 1 must be array but got object");
        assertJsonError("array.concat", "[1]", "{\"a\":1}").hasMessage("operand 2 must be array but got object");
    }

    @Test
    void flattenOneLevel() {
        assertThat(callJson("array.flatten", "[[1,2],\"s\",[3,{\"a\":\"b\"}],4.5,[6,[7,8]]]"))
                .isEqualTo(json("[1,2,\"s\",3,{\"a\":\"b\"},4.5,6,[7,8]]"));
        assertJsonError("array.flatten", "42").hasMessage("operand 1 must be array but got number");
    }

    @Test
    void intersectionAndUnion() {
        SetValue s1 = SetValue.of(List.of(StringValue.of("a"), StringValue.of("b")));
        SetValue s2 = SetValue.of(List.of(StringValue.of("b"), StringValue.of("c")));
        assertThat(call("intersection", SetValue.of(List.of(s1, s2))))
                .isEqualTo(SetValue.of(List.of(StringValue.of("b"))));
        assertThat(call("union", SetValue.of(List.of(s1, s2))))
                .isEqualTo(SetValue.of(List.of(StringValue.of("a"), StringValue.of("b"), StringValue.of("c"))));
        assertThat(call("intersection", SetValue.of(List.of(SetValue.EMPTY, s1))))
                .isEqualTo(SetValue.EMPTY);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> call("intersection", SetValue.of(List.of(NumberValue.of(1)))))
                .hasMessage("operand 1 must be set of sets but got set containing number");
    }
}
