package io.opsmcp.rego.value;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValuesTest {

    @Test
    void typesSortInOpaOrder() {
        List<Value> vs = new ArrayList<>(List.of(
                SetValue.of(NumberValue.of(1)),
                ObjectValue.of(Map.of(StringValue.of("a"), NumberValue.of(1))),
                ArrayValue.of(NumberValue.of(1)),
                StringValue.of("a"),
                NumberValue.of(3),
                BooleanValue.TRUE,
                BooleanValue.FALSE,
                NullValue.INSTANCE));
        vs.sort(null);
        assertThat(vs)
                .extracting(Value::typeName)
                .containsExactly("null", "boolean", "boolean", "number", "string", "array", "object", "set");
        assertThat(vs.get(1)).isEqualTo(BooleanValue.FALSE);
    }

    @Test
    void numbersEqualByValue() {
        assertThat(NumberValue.of("1.0")).isEqualTo(NumberValue.of(1));
        assertThat(NumberValue.of("1.0").hashCode()).isEqualTo(NumberValue.of(1).hashCode());
        assertThat(SetValue.of(NumberValue.of("2.50"), NumberValue.of("2.5")).size())
                .isEqualTo(1);
        assertThat(NumberValue.of("1e3").isInteger()).isTrue();
        assertThat(NumberValue.of("1e3").asLong()).hasValue(1000);
        assertThat(NumberValue.of("1.5").asLong()).isEmpty();
    }

    @Test
    void compositesCompareElementWiseThenBySize() {
        assertThat(ArrayValue.of(NumberValue.of(1), NumberValue.of(2)))
                .isLessThan(ArrayValue.of(NumberValue.of(1), NumberValue.of(3)))
                .isGreaterThan(ArrayValue.of(NumberValue.of(1)));
        Value o1 = Values.parseJson("{\"a\":1,\"b\":2}");
        Value o2 = Values.parseJson("{\"a\":1,\"c\":0}");
        assertThat(o1).isLessThan(o2);
        assertThat(SetValue.of(NumberValue.of(1), NumberValue.of(2)))
                .isLessThan(SetValue.of(NumberValue.of(1), NumberValue.of(3)));
    }

    @Test
    void jsonRoundTripAndPrinting() {
        Value v = Values.parseJson("{\"b\":[1,2.5,\"x\"],\"a\":null,\"c\":{\"d\":true}}");
        assertThat(v.toString()).isEqualTo("{\"a\": null, \"b\": [1, 2.5, \"x\"], \"c\": {\"d\": true}}");
        assertThat(Values.toJsonString(v)).isEqualTo("{\"a\":null,\"b\":[1,2.5,\"x\"],\"c\":{\"d\":true}}");
        assertThat(Values.fromJson(Values.toJson(v))).isEqualTo(v);
    }

    @Test
    void setsBecomeSortedArraysAndNonStringKeysBecomeJsonText() {
        Value s = SetValue.of(StringValue.of("b"), StringValue.of("a"));
        assertThat(Values.toJsonString(s)).isEqualTo("[\"a\",\"b\"]");
        assertThat(s.toString()).isEqualTo("{\"a\", \"b\"}");
        assertThat(SetValue.EMPTY.toString()).isEqualTo("set()");
        Value o = ObjectValue.of(Map.of(NumberValue.of(1), StringValue.of("x")));
        assertThat(Values.toJson(o).get("1").asString()).isEqualTo("x");
    }
}
