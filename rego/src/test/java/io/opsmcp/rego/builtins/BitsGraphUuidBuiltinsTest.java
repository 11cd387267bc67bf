package io.opsmcp.rego.builtins;

import static io.opsmcp.rego.builtins.BuiltinTestSupport.assertJsonError;
import static io.opsmcp.rego.builtins.BuiltinTestSupport.call;
import static io.opsmcp.rego.builtins.BuiltinTestSupport.callJson;
import static io.opsmcp.rego.builtins.BuiltinTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsmcp.rego.value.ArrayValue;
import io.opsmcp.rego.value.NumberValue;
import io.opsmcp.rego.value.ObjectValue;
import io.opsmcp.rego.value.SetValue;
import io.opsmcp.rego.value.StringValue;
import io.opsmcp.rego.value.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class BitsGraphUuidBuiltinsTest {

    @Test
    void bitsUseTwosComplementOnArbitrarySizes() {
        assertThat(callJson("bits.and", "-6", "3")).isEqualTo(NumberValue.of(2));
        assertThat(callJson("bits.or", "-6", "3")).isEqualTo(NumberValue.of(-5));
        assertThat(callJson("bits.xor", "-6", "3")).isEqualTo(NumberValue.of(-7));
        assertThat(callJson("bits.negate", "5")).isEqualTo(NumberValue.of(-6));
        assertThat(callJson("bits.lsh", "3", "64")).isEqualTo(json("55340232221128654848"));
        assertThat(callJson("bits.rsh", "-9", "1")).isEqualTo(NumberValue.of(-5));
        assertJsonError("bits.and", "1.5", "1")
                .isInstanceOf(BuiltinTypeError.class)
                .hasMessage("operand 1 must be integer number but got floating-point number");
        assertJsonError("bits.rsh", "1", "-2")
                .isInstanceOf(BuiltinTypeError.class)
                .hasMessage("operand 2 must be an unsigned integer number but got a negative integer");
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void hugeShiftsAndOperandsFailCleanlyOrCollapse() {
        assertJsonError("bits.lsh", "1", "100000000000000000000")
                .isInstanceOf(BuiltinError.class)
                .hasMessageContaining("exceeds");
        assertJsonError("bits.lsh", "1", "70000")
                .isInstanceOf(BuiltinError.class)
                .hasMessageContaining("exceeds");
        assertThat(callJson("bits.lsh", "0", "100000000000000000000")).isEqualTo(NumberValue.of(0));
        assertThat(callJson("bits.rsh", "12345", "100000000000000000000")).isEqualTo(NumberValue.of(0));
        assertThat(callJson("bits.rsh", "-12345", "100000000000000000000")).isEqualTo(NumberValue.of(-1));
        assertJsonError("bits.negate", "1e1000000000")
                .isInstanceOf(BuiltinError.class)
                .hasMessageContaining("exceeds");
    }

    @Test
    void reachableFollowsSetsAndArraysAndIgnoresUnknownVertices() {
        Value graph = json("{\"a\": [\"b\"], \"b\": [\"c\", \"zz\"], \"c\": [\"a\"], \"d\": [\"a\"], \"e\": 7}");
        assertThat(call("graph.reachable", graph, json("[\"b\"]")))
                .isEqualTo(SetValue.of(StringValue.of("a"), StringValue.of("b"), StringValue.of("c")));
        assertThat(call("graph.reachable", graph, json("[\"e\", \"nope\"]")))
                .isEqualTo(SetValue.of(StringValue.of("e")));
        assertJsonError("graph.reachable", "{}", "\"a\"").isInstanceOf(BuiltinTypeError.class);
    }

    @Test
    void reachablePathsEndAtCyclesLeavesAndMissingVertices() {
        Value graph = json("{\"r\": [\"x\", \"y\", \"gone\"], \"x\": [\"r\"], \"y\": []}");
        assertThat(call("graph.reachable_paths", graph, json("[\"r\"]")))
                .isEqualTo(SetValue.of(json("[\"r\", \"x\"]"), json("[\"r\", \"y\"]"), json("[\"r\"]")));
        // A self-loop on a start vertex repeats it once, as OPA's recursion does.
        assertThat(call("graph.reachable_paths", json("{\"s\": [\"s\"]}"), json("[\"s\"]")))
                .isEqualTo(SetValue.of(json("[\"s\", \"s\"]")));
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void hugeCyclicGraphsStayBounded() {
        int n = 200_000;
        ObjectValue.Builder ring = ObjectValue.builder();
        for (int i = 0; i < n; i++) {
            ring.put(StringValue.of("v" + i), ArrayValue.of(StringValue.of("v" + ((i + 1) % n))));
        }
        Value graph = ring.build();
        Value start = ArrayValue.of(StringValue.of("v0"));
        assertThat(((SetValue) call("graph.reachable", graph, start)).size()).isEqualTo(n);
        // The one path around a 200k-vertex ring is walked iteratively: no stack overflow.
        SetValue paths = (SetValue) call("graph.reachable_paths", graph, start);
        assertThat(paths.size()).isEqualTo(1);
        assertThat(((ArrayValue) paths.elements().iterator().next()).size()).isEqualTo(n);

        // A complete graph has factorially many simple paths: refused, not enumerated.
        ObjectValue.Builder complete = ObjectValue.builder();
        List<Value> all = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            all.add(NumberValue.of(i));
        }
        for (Value v : all) {
            complete.put(v, ArrayValue.of(all));
        }
        assertThatThrownBy(() -> call("graph.reachable_paths", complete.build(), ArrayValue.of(all)))
                .isInstanceOf(BuiltinError.class);
    }

    @Test
    void uuidParseDecodesTimeBasedFieldsAndAcceptsGoogleForms() {
        Value v1 = callJson("uuid.parse", "\"a8098c1a-f86e-11da-bd1a-00112444be1e\"");
        assertThat(v1)
                .isEqualTo(json("{\"version\": 1, \"variant\": \"RFC4122\", \"time\": 1149936511013993000,"
                        + " \"clocksequence\": 15642, \"nodeid\": \"global:unicast:00112444be1e\"}"));
        Value v4 = json("{\"version\": 4, \"variant\": \"RFC4122\"}");
        assertThat(callJson("uuid.parse", "\"{6BA7B810-9DAD-41D1-80B4-00C04FD430C8}\""))
                .isEqualTo(v4);
        assertThat(callJson("uuid.parse", "\"URN:uuid:6ba7b810-9dad-41d1-80b4-00c04fd430c8\""))
                .isEqualTo(v4);
        assertThat(callJson("uuid.parse", "\"6ba7b8109dad41d180b400c04fd430c8\""))
                .isEqualTo(v4);
        assertThat(callJson("uuid.parse", "\"6ba7b810-9dad-41d1-80b4-00c04fd430cg\""))
                .isNull();
        assertThat(callJson("uuid.parse", "\"6ba7b810x9dad-41d1-80b4-00c04fd430c8\""))
                .isNull();
        assertThat(callJson("uuid.parse", "\"\"")).isNull();
    }
}
